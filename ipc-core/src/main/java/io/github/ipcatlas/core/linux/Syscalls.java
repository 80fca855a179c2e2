package io.github.ipcatlas.core.linux;

import java.util.Map;

/**
 * System-call numbers, by architecture — the one place they are written ({@code asm/unistd_64.h} on x86-64, the
 * generic {@code asm-generic/unistd.h} table on aarch64), for the calls made through {@code syscall(2)}: those glibc
 * has no wrapper for, and the FFM downcalls that pass a buffer's segment as an extra argument (see
 * {@link SegmentCache}).
 */
public final class Syscalls {
    private Syscalls() {
    }

    /** The calls added since Linux 5.1 (pidfds) have one number on every architecture but alpha; kept here all the same. */
    private record Numbers(long futex, long rtTgsigqueueinfo, long pidfdSendSignal, long pidfdOpen, long read,
                           long write, long mqTimedsend, long mqTimedreceive) {
    }

    private static final Map<String, Numbers> BY_ARCH = Map.of(
            "amd64", new Numbers(202, 297, 424, 434, 0, 1, 242, 243),
            "x86_64", new Numbers(202, 297, 424, 434, 0, 1, 242, 243),
            "aarch64", new Numbers(98, 240, 424, 434, 63, 64, 182, 183));

    private static final Numbers HERE = BY_ARCH.get(System.getProperty("os.arch"));

    /** {@code futex(2)}. */
    public static long futex() {
        return here().futex();
    }

    /** {@code rt_tgsigqueueinfo(2)}. */
    public static long rtTgsigqueueinfo() {
        return here().rtTgsigqueueinfo();
    }

    /** {@code pidfd_send_signal(2)}, Linux 5.1. */
    public static long pidfdSendSignal() {
        return here().pidfdSendSignal();
    }

    /** {@code pidfd_open(2)}, Linux 5.3. */
    public static long pidfdOpen() {
        return here().pidfdOpen();
    }

    /** {@code read(2)}. */
    public static long read() {
        return here().read();
    }

    /** {@code write(2)}. */
    public static long write() {
        return here().write();
    }

    /** {@code mq_timedsend(2)}. */
    public static long mqTimedsend() {
        return here().mqTimedsend();
    }

    /** {@code mq_timedreceive(2)}. */
    public static long mqTimedreceive() {
        return here().mqTimedreceive();
    }

    private static Numbers here() {
        if (HERE == null) {
            throw new UnsupportedOperationException("no system-call numbers for architecture " + System.getProperty("os.arch")
                    + " (known: " + BY_ARCH.keySet() + ")");
        }
        return HERE;
    }
}
