package io.github.ipcatlas.core.linux;

import java.nio.ByteBuffer;

/**
 * {@code read(2)} and {@code write(2)} on a direct buffer, through the binding that keeps the buffer's memory alive
 * for the length of the call on the running JDK.
 *
 * <ul>
 *   <li><b>JDK 22 and newer: FFM downcalls</b> ({@link Downcalls}, {@link SegmentCache}). A direct buffer there may
 *       belong to an {@code Arena} that another thread closes at any moment: the caller's own memory. A raw address
 *       passed to the kernel after that close would let {@code read} write into memory that is free, or mapped again
 *       for something else. The FFM linker instead holds the buffer's arena open during the
 *       call (a concurrent {@code close} fails) and refuses a buffer whose arena is already closed with
 *       {@link IllegalStateException}, exactly as the JDK's own channels do.</li>
 *   <li><b>JDK 17–21: jnr-ffi</b>, by address. A buffer of {@code allocateDirect} or {@code FileChannel.map} is freed
 *       only once unreachable, and the caller's reference keeps it reachable. The incubating or preview FFM API of
 *       those JDKs ({@code jdk.incubator.foreign} on 17, preview on 19–21) can make buffers of closeable memory too;
 *       such a buffer is not protected there: do not close its memory while a call may be using it.</li>
 * </ul>
 *
 * <p>The system property {@value #BINDING_PROPERTY} set to {@code jnr} selects jnr-ffi on any JDK, to compare the two
 * (on 22+ it gives up the protection above, and says so once). Each call reads or writes at the buffer's position and leaves
 * the position alone. One instance per thread, or per direction serialised by a lock: an instance keeps the errno
 * of its last call. Allocates nothing per call once compiled (the FFM binding, once per new buffer: see
 * {@link SegmentCache}).
 */
public abstract sealed class BufferIo permits FfmBufferIo, JnrBufferIo {
    /** Names the binding: {@code ffm} or {@code jnr}; unset, FFM wherever the JDK has it (see {@link #usesFfm()}). */
    public static final String BINDING_PROPERTY = "ipcatlas.binding";

    BufferIo() {
    }

    /** The binding for this JDK (see the class comment and {@link #usesFfm()}). */
    public static BufferIo create() {
        return usesFfm() ? new FfmBufferIo() : new JnrBufferIo();
    }

    /** jnr-ffi, whatever the JDK. */
    public static BufferIo jnr() {
        return new JnrBufferIo();
    }

    /**
     * FFM downcalls.
     *
     * @throws UnsupportedOperationException before JDK 22, or where the JDK refused the downcalls (the reason is the
     *         cause)
     */
    public static BufferIo ffm() {
        return new FfmBufferIo(); // its call state comes from Downcalls, which throws where downcalls are unavailable
    }

    /**
     * Whether {@link #create()} picks FFM, by {@value #BINDING_PROPERTY}: unset or {@code ffm}, FFM wherever downcalls
     * are available; {@code jnr}, jnr-ffi. A setting that cannot be honoured never fails a call (that could leave a
     * descriptor or a queue half made): it is logged once through {@link System.Logger}, and the default applies —
     * an unknown value, {@code ffm} where downcalls are not available, and on JDK 22+ both {@code jnr} (a closed
     * arena's buffer is then not refused) and a fall-back to jnr-ffi because native access was denied to FFM.
     */
    public static boolean usesFfm() {
        String wanted = System.getProperty(BINDING_PROPERTY, "");
        boolean modern = Runtime.version().feature() >= 22;
        if (wanted.equals("jnr")) {
            if (modern) {
                Warnings.once("jnr", BINDING_PROPERTY + "=jnr on Java " + Runtime.version() + ": reads and writes"
                        + " go through jnr-ffi by address, so a buffer whose Arena was closed is not refused and the"
                        + " kernel may write into freed memory; use it to measure, not in production");
            }
            return false;
        }
        if (!wanted.isEmpty() && !wanted.equals("ffm")) {
            Warnings.once("value " + wanted, BINDING_PROPERTY + "=" + wanted + " is neither ffm nor jnr: ignored");
        }
        if (!Downcalls.available() && (modern || wanted.equals("ffm"))) {
            Warnings.once("fallback", "FFM downcalls are not available on Java " + Runtime.version() + " ("
                    + Downcalls.unavailableReason().getMessage() + "): reads and writes go through jnr-ffi, which does"
                    + " not refuse a buffer whose Arena was closed. On JDK 22+, run with"
                    + " --enable-native-access=ALL-UNNAMED");
        }
        return Downcalls.available();
    }

    /** Each warning once per JVM. */
    private static final class Warnings {
        private static final java.util.Set<String> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static void once(String key, String message) {
            if (GIVEN.add(key)) {
                System.getLogger("io.github.ipcatlas.core").log(System.Logger.Level.WARNING, message);
            }
        }
    }

    /**
     * {@code read(2)} of at most {@code length} bytes into {@code direct} at its position: bytes read, or -1.
     *
     * @throws IllegalArgumentException if the buffer is not direct, is read-only, or has fewer than {@code length}
     *         bytes remaining
     */
    public final long read(int fd, ByteBuffer direct, int length) {
        check(direct, length);
        if (direct.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        return readChecked(fd, direct, length);
    }

    /**
     * {@code write(2)} of at most {@code length} bytes from {@code direct} at its position: bytes written, or -1.
     *
     * @throws IllegalArgumentException if the buffer is not direct or has fewer than {@code length} bytes remaining
     */
    public final long write(int fd, ByteBuffer direct, int length) {
        check(direct, length);
        return writeChecked(fd, direct, length);
    }

    private static void check(ByteBuffer direct, int length) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("a heap buffer has no native address: stage it through a direct one");
        }
        if (length < 0 || length > direct.remaining()) {
            throw new IllegalArgumentException(length + " bytes where the buffer has " + direct.remaining() + " left");
        }
    }

    abstract long readChecked(int fd, ByteBuffer direct, int length);

    abstract long writeChecked(int fd, ByteBuffer direct, int length);

    /** The errno the last call of this instance left; meaningful only after it returned -1. */
    public abstract int errno();

    /** {@code ffm} or {@code jnr}. */
    public abstract String binding();

    @Override
    public String toString() {
        return "BufferIo[" + binding() + "]";
    }
}
