package io.github.ipcatlas.core.linux;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The pause before retrying a write that {@code poll(2)} reported ready for but that would still block. Poll promises
 * room for some bytes, not for all: an eventfd is writable while its counter can take 1, so an add of more fails
 * until a read makes room. Retrying at once would spin; this waits 50 µs, doubling to 10 ms, never past a deadline.
 */
public final class WriteBackOff {
    private static final long FIRST_NANOS = 50_000;
    private static final long LONGEST_NANOS = 10_000_000;

    private WriteBackOff() {
    }

    /**
     * Parks for the pause that follows {@code previousNanos} (0 before the first), at most {@code leftNanos}.
     *
     * @return the pause to pass next time
     * @throws InterruptedIOException if the thread is interrupted (its interrupt flag stays set)
     */
    public static long pause(long previousNanos, long leftNanos) throws InterruptedIOException {
        long pause = previousNanos == 0 ? FIRST_NANOS : Math.min(2 * previousNanos, LONGEST_NANOS);
        LockSupport.parkNanos(Math.min(pause, Math.max(0, leftNanos)));
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for room to write");
        }
        return pause;
    }
}
