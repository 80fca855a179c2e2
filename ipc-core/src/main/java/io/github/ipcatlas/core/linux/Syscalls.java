package io.github.ipcatlas.core.linux;

import java.util.Map;

/**
 * System-call numbers for the calls glibc has no wrapper for, by architecture — the one place they are written
 * ({@code asm/unistd_64.h} on x86-64, the generic {@code asm-generic/unistd.h} table on aarch64). Called through
 * {@code syscall(2)}.
 */
public final class Syscalls {
    private Syscalls() {
    }

    /** The calls added since Linux 5.1 (pidfds) have one number on every architecture but alpha; kept here all the same. */
    private record Numbers(long futex, long rtTgsigqueueinfo, long pidfdSendSignal, long pidfdOpen) {
    }

    private static final Map<String, Numbers> BY_ARCH = Map.of(
            "amd64", new Numbers(202, 297, 424, 434),
            "x86_64", new Numbers(202, 297, 424, 434),
            "aarch64", new Numbers(98, 240, 424, 434));

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

    private static Numbers here() {
        if (HERE == null) {
            throw new UnsupportedOperationException("no system-call numbers for architecture " + System.getProperty("os.arch")
                    + " (known: " + BY_ARCH.keySet() + ")");
        }
        return HERE;
    }
}
