package io.github.ipcatlas.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import com.kenai.jffi.Library;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/**
 * Loads jnr-ffi binding interfaces, probing each one once.
 *
 * <p>Every function of the interface is resolved at load time ({@code failImmediately}), so a missing library or
 * symbol surfaces here, as one {@link NativeUnavailableException} that names the interface, the library, the
 * platform and the cause, rather than later as an {@link UnsatisfiedLinkError} in the middle of an operation.
 * The outcome, success or failure, is cached: a second load returns the same instance or rethrows the same
 * diagnosis without touching the dynamic linker again.
 *
 * <p>Thread-safe.
 */
public final class NativeLibrary {
    private static final Map<Class<?>, Object> LOADED = new ConcurrentHashMap<>();
    /** First JDK whose default for {@code --sun-misc-unsafe-memory-access} prints a warning on use. */
    private static final int UNSAFE_WARNING_JDK = 24;

    static {
        // jffi reads and writes native memory through sun.misc.Unsafe when it can; from JDK 24 on that prints a
        // "terminally deprecated method" warning to every user. Its JNI route gives the same results without it,
        // and our hot paths pass addresses instead of touching native memory, so they do not notice the change.
        if (Runtime.version().feature() >= UNSAFE_WARNING_JDK && System.getProperty("jffi.unsafe.disabled") == null) {
            System.setProperty("jffi.unsafe.disabled", "true");
        }
    }

    private NativeLibrary() {
    }

    /**
     * Returns the binding of {@code binding} to {@code library} (a name such as {@code "c"}), loading it on first use.
     *
     * @throws NativeUnavailableException when the library or one of the interface's functions cannot be bound
     */
    public static <T> T load(Class<T> binding, String library) {
        refuseCorruptedSignatures(binding);
        Object outcome = LOADED.computeIfAbsent(binding, type -> probe(type, library));
        if (outcome instanceof NativeUnavailableException failure) {
            throw new NativeUnavailableException(failure.getMessage(), failure);
        }
        return binding.cast(outcome);
    }

    private static Object probe(Class<?> binding, String library) {
        try {
            Object loaded = LibraryLoader.create(binding).failImmediately().load(library);
            checkSymbols(binding, library);
            return loaded;
        } catch (LinkageError | RuntimeException e) {
            return new NativeUnavailableException(String.format(
                    "cannot bind %s to native library \"%s\" on %s/%s (java %s): %s. "
                            + "IPC Atlas needs Linux with glibc 2.34 or newer and a JDK that may load native code "
                            + "(run with --enable-native-access=ALL-UNNAMED on JDK 22+).",
                    binding.getSimpleName(), library, System.getProperty("os.name"), System.getProperty("os.arch"),
                    Runtime.version(), e), e);
        }
    }

    /**
     * Refuses a function jnr-ffi would call with a corrupt argument: one whose arguments are all numbers (primitives,
     * their boxes, {@code NativeLong}, enums), six of them integers. jnr-ffi's x86-64 stub for that shape passes
     * garbage as the sixth integer (jnr/jnr-ffi#181; seen here as {@code mmap} refusing its offset with
     * {@code EINVAL}; six {@code long}s and a {@code double} are corrupted too). Seven integers, or a {@code Pointer}
     * among the arguments, take another route, which passes them all: declare such a call through
     * {@code syscall(2)}, or with a pointer.
     *
     * @throws IllegalArgumentException naming the function: a mistake in the binding, not in the machine
     */
    static void refuseCorruptedSignatures(Class<?> binding) {
        for (Method method : binding.getMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            boolean numbersOnly = Arrays.stream(parameters).allMatch(type -> type.isPrimitive()
                    || Number.class.isAssignableFrom(type) || type == Boolean.class || type == Character.class
                    || type.isEnum());
            long integers = Arrays.stream(parameters).filter(type -> type != float.class && type != double.class
                    && type != Float.class && type != Double.class).count();
            if (!method.isDefault() && !Modifier.isStatic(method.getModifiers()) && numbersOnly && integers == 6) {
                throw new IllegalArgumentException(binding.getName() + "." + method.getName() + " takes six integer "
                        + "arguments and nothing but numbers, whose sixth jnr-ffi corrupts on x86-64 "
                        + "(jnr/jnr-ffi#181)");
            }
        }
    }

    /** jnr-ffi binds functions lazily, on first call; resolve every one now so a missing symbol shows up here. */
    private static void checkSymbols(Class<?> binding, String library) {
        String path = Platform.getNativePlatform().locateLibrary(library, List.of());
        Library handle = Library.getCachedInstance(path, Library.LAZY | Library.LOCAL);
        if (handle == null) {
            throw new UnsatisfiedLinkError("dlopen(" + path + "): " + Library.getLastError());
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Method method : binding.getMethods()) {
            if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())
                    && handle.getSymbolAddress(method.getName()) == 0) {
                missing.add(method.getName());
            }
        }
        if (!missing.isEmpty()) {
            throw new UnsatisfiedLinkError(path + " has no function " + String.join(", ", missing));
        }
    }
}
