package io.github.ipcatlas.core.linux;

import java.nio.ByteBuffer;

/**
 * {@code read(2)} and {@code write(2)} on a direct buffer, through the binding that keeps the buffer's memory alive
 * for the length of the call on the running JDK.
 *
 * <ul>
 *   <li><b>JDK 22 and newer: FFM downcalls</b> ({@link Downcalls}, {@link SegmentCache}). A direct buffer there may
 *       belong to an {@code Arena} that another thread closes at any moment — a mapping of {@code ipc-mmap}, or the
 *       caller's own memory. A raw address passed to the kernel after that close would let {@code read} write into memory that is
 *       free, or mapped again for something else. The FFM linker instead holds the buffer's arena open during the
 *       call (a concurrent {@code close} fails) and refuses a buffer whose arena is already closed with
 *       {@link IllegalStateException}, exactly as the JDK's own channels do.</li>
 *   <li><b>JDK 17–21: jnr-ffi</b>, by address. Every direct buffer there is the JDK's, freed only once
 *       unreachable, and the caller's reference keeps it reachable.</li>
 * </ul>
 *
 * <p>The system property {@value #BINDING_PROPERTY} set to {@code jnr} selects jnr-ffi on any JDK (to compare the two,
 * or as a way out should a JDK refuse the downcalls). Each call reads or writes at the buffer's position and leaves
 * the position alone. One instance per thread, or per direction serialised by a lock: an instance keeps the errno
 * of its last call. Allocates nothing per call once compiled (the FFM binding, once per new buffer: see
 * {@link SegmentCache}).
 */
public abstract sealed class BufferIo permits FfmBufferIo, JnrBufferIo {
    /** Names the binding: {@code ffm} or {@code jnr}; unset, FFM wherever the JDK has it. */
    public static final String BINDING_PROPERTY = "ipcatlas.binding";

    BufferIo() {
    }

    /** The binding for this JDK (see the class comment). */
    public static BufferIo create() {
        return useFfm() ? new FfmBufferIo() : new JnrBufferIo();
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
        if (!Downcalls.available()) {
            throw new UnsupportedOperationException("FFM downcalls are not available on Java " + Runtime.version()
                    + ": " + Downcalls.unavailableReason().getMessage(), Downcalls.unavailableReason());
        }
        return new FfmBufferIo();
    }

    /** Whether {@link #create()} picks FFM: JDK 22+, downcalls allowed, and no {@value #BINDING_PROPERTY}{@code =jnr}. */
    public static boolean usesFfm() {
        return useFfm();
    }

    private static boolean useFfm() {
        String wanted = System.getProperty(BINDING_PROPERTY, "");
        return switch (wanted) {
            case "jnr" -> false;
            case "", "ffm" -> Downcalls.available();
            default -> throw new IllegalArgumentException(BINDING_PROPERTY + "=" + wanted + ": use ffm or jnr");
        };
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
