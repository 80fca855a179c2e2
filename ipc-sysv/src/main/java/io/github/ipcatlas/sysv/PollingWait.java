package io.github.ipcatlas.sysv;

import java.util.concurrent.locks.LockSupport;

/**
 * The pause between two non-blocking tries of a call that has no timeout of its own ({@code msgsnd},
 * {@code msgrcv}): a few spins, then yields, then sleeps that double from 10 µs up to 1 ms, never past the deadline.
 * A wait ended this way reacts within about a millisecond, not at once; untimed calls block in the kernel instead.
 */
final class PollingWait {
    private static final int SPINS = 16;
    private static final int YIELDS = 64;
    private static final long FIRST_SLEEP_NANOS = 10_000;
    private static final long LONGEST_SLEEP_NANOS = 1_000_000;

    private PollingWait() {
    }

    /**
     * Pauses after failed try number {@code attempt} (0 first).
     *
     * @return false, without pausing, when {@code deadline} ({@code System.nanoTime()}) has passed
     */
    static boolean pause(int attempt, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        if (attempt >= 0 && attempt < SPINS) {
            Thread.onSpinWait();
        } else if (attempt >= 0 && attempt < SPINS + YIELDS) {
            Thread.yield();
        } else {
            // a count that wrapped past Integer.MAX_VALUE (weeks of polling) keeps the longest sleep
            int doublings = attempt < 0 ? 7 : Math.min(attempt - SPINS - YIELDS, 7);
            LockSupport.parkNanos(Math.min(left, Math.min(LONGEST_SLEEP_NANOS, FIRST_SLEEP_NANOS << doublings)));
        }
        return true;
    }
}
