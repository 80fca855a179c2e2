package io.github.ipcatlas.core.linux;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * libc functions as FFM downcalls (JDK 22+), for the calls that take the memory of a caller's buffer: the buffer's
 * {@code MemorySegment} goes with the call, so the linker holds the buffer's arena open for the call (a concurrent
 * {@code Arena.close} fails) and refuses a buffer whose arena is already closed, where a raw address alone would reach
 * the kernel after the memory was freed ({@link SegmentCache} says how the segment rides along without an allocation
 * per call). errno comes back through the linker's captured call state.
 *
 * <p>The project targets Java 17, so the FFM types are reached through reflection, once; the handles this class
 * returns take and give {@code Object} where FFM has a {@code MemorySegment}. Keep them in {@code static final}
 * fields: the JIT then inlines them like direct calls. {@link #available()} is false before JDK 22 and where the JDK
 * refused native access to this code ({@code --illegal-native-access=deny} without
 * {@code --enable-native-access}); {@link #unavailableReason()} says why.
 */
public final class Downcalls {
    private static final int FFM_JDK = 22;
    private static final Ffm FFM;
    private static final Throwable UNAVAILABLE;
    /** {@code MemorySegment.ofBuffer}, as {@code (ByteBuffer) -> Object}: from the position to the limit. */
    private static final MethodHandle OF_BUFFER;
    /** The errno in a call-state segment: {@code (Object) -> int}. */
    private static final MethodHandle ERRNO;
    /** A call-state segment in an automatic arena of its own: {@code () -> Object}. */
    private static final MethodHandle NEW_STATE;
    /** {@code MemorySegment.address()}: {@code (Object) -> long}. */
    private static final MethodHandle ADDRESS;

    static {
        Ffm ffm = null;
        Throwable unavailable = null;
        MethodHandle ofBuffer = null;
        MethodHandle errno = null;
        MethodHandle newState = null;
        MethodHandle address = null;
        if (Runtime.version().feature() < FFM_JDK) {
            unavailable = new UnsupportedOperationException("the FFM API is final from Java " + FFM_JDK);
        } else {
            try {
                ffm = new Ffm();
                ofBuffer = ffm.ofBuffer();
                errno = ffm.errno();
                newState = ffm.newCallState();
                address = ffm.address();
                ffm.downcall("getpid", "I()"); // a restricted method: fails here if native access is denied
            } catch (InvocationTargetException e) {
                unavailable = e.getCause(); // IllegalCallerException: native access denied to this code
                ffm = null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                unavailable = e;
                ffm = null;
            }
        }
        FFM = ffm;
        UNAVAILABLE = unavailable;
        OF_BUFFER = ofBuffer;
        ERRNO = errno;
        NEW_STATE = newState;
        ADDRESS = address;
    }

    private Downcalls() {
    }

    /** Whether downcalls can be made here: JDK 22+ and native access allowed. */
    public static boolean available() {
        return FFM != null;
    }

    /** Why downcalls cannot be made here; null if they can. */
    public static Throwable unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * A downcall to libc's {@code name} that captures errno. {@code signature} is the C return type, then the
     * parameters in parentheses, one letter each: {@code I} {@code int}, {@code J} {@code long} (also a pointer to
     * memory of our own), {@code A} a {@code MemorySegment} (a caller's buffer, from {@link #segmentOf}); a {@code |}
     * marks where the variadic arguments start. The handle's type puts the call state first: {@code "J(IAJ)"} is
     * {@code (Object state, int, Object, long) -> long}, and {@code "J(J|JJJA)"} is {@code syscall(2)} with four
     * variadic arguments.
     *
     * @throws UnsupportedOperationException if downcalls are not {@linkplain #available() available}
     */
    public static MethodHandle capturingErrno(String name, String signature) {
        requireAvailable();
        try {
            return FFM.downcall(name, signature, "errno");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot link " + name + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot link " + name + ": " + e, e);
        }
    }

    /** {@code MemorySegment.ofBuffer(direct)}: the buffer's bytes from its position to its limit. */
    public static Object segmentOf(ByteBuffer direct) {
        try {
            return (Object) OF_BUFFER.invokeExact(direct);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code segment.address()}: where a segment's memory starts. */
    public static long addressOf(Object segment) {
        try {
            return (long) ADDRESS.invokeExact(segment);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new call state for {@link #capturingErrno} handles, freed with the last reference to it. */
    public static Object newCallState() {
        requireAvailable();
        try {
            return (Object) NEW_STATE.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot allocate the errno capture of a downcall", e);
        }
    }

    /** The errno a downcall left in {@code state}. */
    public static int errno(Object state) {
        try {
            return (int) ERRNO.invokeExact(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireAvailable() {
        if (FFM == null) {
            throw new UnsupportedOperationException("FFM downcalls are not available on Java " + Runtime.version()
                    + ": " + UNAVAILABLE.getMessage(), UNAVAILABLE);
        }
    }

    /** The reflective steps, in Java 17 source, of what JDK 22 code would write with the FFM types directly. */
    private static final class Ffm {
        private final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        private final Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        private final Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        private final Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        private final Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        private final Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        private final Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        private final Object libc = linkerClass.getMethod("defaultLookup").invoke(linker);
        private final Object stateLayout = optionClass.getMethod("captureStateLayout").invoke(null);

        Ffm() throws ReflectiveOperationException {
        }

        MethodHandle downcall(String name, String signature, String... captured) throws ReflectiveOperationException {
            int open = signature.indexOf('(');
            String written = signature.substring(open + 1, signature.length() - 1);
            int firstVariadic = written.indexOf('|');
            String parameters = written.replace("|", "");
            Object layouts = Array.newInstance(layoutClass, parameters.length());
            Class<?>[] javaTypes = new Class<?>[parameters.length() + (captured.length > 0 ? 1 : 0)];
            int shift = javaTypes.length - parameters.length();
            if (shift == 1) {
                javaTypes[0] = Object.class;
            }
            for (int i = 0; i < parameters.length(); i++) {
                Array.set(layouts, i, layout(parameters.charAt(i)));
                javaTypes[i + shift] = javaType(parameters.charAt(i));
            }
            char returned = signature.charAt(0);
            Object descriptor = descriptorClass.getMethod("of", layoutClass, layouts.getClass())
                    .invoke(null, layout(returned), layouts);
            List<Object> chosen = new ArrayList<>();
            if (captured.length > 0) {
                chosen.add(optionClass.getMethod("captureCallState", String[].class).invoke(null, (Object) captured));
            }
            if (firstVariadic >= 0) {
                chosen.add(optionClass.getMethod("firstVariadicArg", int.class).invoke(null, firstVariadic));
            }
            Object options = Array.newInstance(optionClass, chosen.size());
            for (int i = 0; i < chosen.size(); i++) {
                Array.set(options, i, chosen.get(i));
            }
            Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                    .getMethod("find", String.class).invoke(libc, name);
            MethodHandle handle = (MethodHandle) linkerClass
                    .getMethod("downcallHandle", segmentClass, descriptorClass, options.getClass())
                    .invoke(linker, symbol.orElseThrow(() -> new NoSuchMethodException("libc has no " + name)),
                            descriptor, options);
            return handle.asType(MethodType.methodType(javaType(returned), javaTypes));
        }

        /** {@code segment.address()}: {@code (Object) -> long}. */
        MethodHandle address() throws ReflectiveOperationException {
            return lookup.findVirtual(segmentClass, "address", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        }

        MethodHandle ofBuffer() throws ReflectiveOperationException {
            return lookup.findStatic(segmentClass, "ofBuffer", MethodType.methodType(segmentClass, Buffer.class))
                    .asType(MethodType.methodType(Object.class, ByteBuffer.class));
        }

        /** {@code state.get(JAVA_INT, offset of errno)}. */
        MethodHandle errno() throws ReflectiveOperationException {
            Class<?> pathClass = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
            Object path = Array.newInstance(pathClass, 1);
            Array.set(path, 0, pathClass.getMethod("groupElement", String.class).invoke(null, "errno"));
            long offset = (long) layoutClass.getMethod("byteOffset", path.getClass()).invoke(stateLayout, path);
            Class<?> ofInt = Class.forName("java.lang.foreign.ValueLayout$OfInt");
            MethodHandle get = lookup.findVirtual(segmentClass, "get",
                    MethodType.methodType(int.class, ofInt, long.class));
            return MethodHandles.insertArguments(get, 1, layout('I'), offset)
                    .asType(MethodType.methodType(int.class, Object.class));
        }

        /** {@code Arena.ofAuto().allocate(captureStateLayout())}: the memory goes with the segment. */
        MethodHandle newCallState() throws ReflectiveOperationException {
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            MethodHandle ofAuto = lookup.findStatic(arenaClass, "ofAuto", MethodType.methodType(arenaClass));
            MethodHandle allocate = MethodHandles.insertArguments(lookup.findVirtual(arenaClass, "allocate",
                    MethodType.methodType(segmentClass, layoutClass)), 1, stateLayout);
            return MethodHandles.collectArguments(allocate, 0, ofAuto).asType(MethodType.methodType(Object.class));
        }

        private Object layout(char kind) throws ReflectiveOperationException {
            String name = switch (kind) {
                case 'I' -> "JAVA_INT";
                case 'J' -> "JAVA_LONG";
                case 'A' -> "ADDRESS";
                default -> throw new IllegalArgumentException("signature letter " + kind + ": use I, J or A");
            };
            return Class.forName("java.lang.foreign.ValueLayout").getField(name).get(null);
        }

        private static Class<?> javaType(char kind) {
            return switch (kind) {
                case 'I' -> int.class;
                case 'J' -> long.class;
                default -> Object.class;
            };
        }
    }
}
