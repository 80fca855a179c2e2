package io.github.ipcatlas.core.linux;

/**
 * Linux x86-64/aarch64 values of the C constants the bindings use (from the kernel's uapi headers and glibc).
 * Named once here so no call site carries a magic number.
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    /** The one {@code open} flag here whose value differs between the two: 0400000 on x86-64, 0100000 on aarch64. */
    public static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0x8000 : 0x20000;
    /** {@code fcntl(F_GETFL)}'s access-mode bits. */
    public static final int O_ACCMODE = 3;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    /** Open-file-description record locks ({@code fcntl(2)}, Linux 3.15+): owned by the open file, not the process. */
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;

    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    /** Bytes reserved for glibc's opaque spawn structures (80 and 336 bytes on x86-64), with room to spare. */
    public static final int SPAWN_STRUCT_BYTES = 512;
    /** {@code sizeof(sigset_t)} in glibc. */
    public static final int SIGSET_BYTES = 128;
    /** The highest signal number ({@code SIGRTMAX}); signals are numbered from 1. */
    public static final int SIGNAL_MAX = 64;

    /**
     * Checks that {@code signal} is a signal number, 1 to {@link #SIGNAL_MAX}, before it reaches a system call.
     *
     * @return {@code signal}
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static int checkSignal(int signal) {
        if (signal < 1 || signal > SIGNAL_MAX) {
            throw new IllegalArgumentException("signal number " + signal + " is outside 1.." + SIGNAL_MAX);
        }
        return signal;
    }
}
