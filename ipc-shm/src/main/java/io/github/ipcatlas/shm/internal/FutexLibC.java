package io.github.ipcatlas.shm.internal;

import jnr.ffi.annotations.Variadic;

/**
 * {@code futex(2)} through {@code syscall(2)} (glibc has no wrapper). C name, no logic; the number comes from
 * {@code io.github.ipcatlas.core.linux.Syscalls}. Addresses, not pointers: the futex word lives in a shared
 * mapping, the timeout in a caller's scratch {@code struct timespec}.
 */
public interface FutexLibC {
    /** Wait while the word still holds the value (not private: the word is shared between processes). */
    int FUTEX_WAIT = 0;
    /** Wake up to {@code val} waiters. */
    int FUTEX_WAKE = 1;

    /** {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)}; -1 with errno on failure. */
    @Variadic(fixedCount = 1)
    long syscall(long number, long uaddr, int op, int val, long timeout, long uaddr2, int val3);
}
