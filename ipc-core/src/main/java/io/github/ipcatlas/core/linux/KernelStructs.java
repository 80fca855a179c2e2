package io.github.ipcatlas.core.linux;

/**
 * The small kernel structures several modules fill by hand, on 64-bit Linux (x86-64 and aarch64 agree);
 * {@code KernelStructsTest} checks each value against this machine's C headers. ({@code struct pollfd} has its own
 * class, {@link PollFd}.)
 *
 * <pre>
 * struct timespec (16)       struct iovec (16)
 *   0 time_t tv_sec            0 void  *iov_base
 *   8 long   tv_nsec           8 size_t iov_len
 * </pre>
 */
public final class KernelStructs {
    private KernelStructs() {
    }

    /** {@code sizeof(struct timespec)}. */
    public static final int TIMESPEC_BYTES = 16;
    /** {@code offsetof(struct timespec, tv_sec)}. */
    public static final int TIMESPEC_SEC = 0;
    /** {@code offsetof(struct timespec, tv_nsec)}. */
    public static final int TIMESPEC_NSEC = 8;

    /** {@code sizeof(struct iovec)}. */
    public static final int IOVEC_BYTES = 16;
    /** {@code offsetof(struct iovec, iov_base)}. */
    public static final int IOVEC_BASE = 0;
    /** {@code offsetof(struct iovec, iov_len)}. */
    public static final int IOVEC_LEN = 8;
}
