package io.github.ipcatlas.threads;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} with a global rank, and the two classic ways to take several locks without deadlock.
 *
 * <ul>
 *   <li>{@link #lockAll}: every thread takes the locks in the same global order (by rank), so no cycle of waits can
 *       form. Cheap and complete, when all the locks are known up front.</li>
 *   <li>{@link #tryLockAll}: take them in any order with {@code tryLock}; on failure release everything, back off for
 *       a random moment and retry until a deadline. Works when the order cannot be fixed; costs retries under
 *       contention.</li>
 * </ul>
 *
 * <p><b>Thread-safety and memory effects.</b> Those of {@link ReentrantLock}.
 */
public final class OrderedLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong RANKS = new AtomicLong();

    private final long rank = RANKS.incrementAndGet();

    /** The global rank: locks are always taken in increasing rank by {@link #lockAll}. */
    public long rank() {
        return rank;
    }

    /** Locks all of {@code locks} in rank order; unlock with {@link #unlockAll}. */
    public static void lockAll(OrderedLock... locks) {
        OrderedLock[] ordered = locks.clone();
        Arrays.sort(ordered, Comparator.comparingLong(OrderedLock::rank));
        for (OrderedLock lock : ordered) {
            lock.lock();
        }
    }

    /** Unlocks all of {@code locks}. */
    public static void unlockAll(OrderedLock... locks) {
        for (OrderedLock lock : locks) {
            lock.unlock();
        }
    }

    /**
     * Tries to hold all of {@code locks}, in the order given, until {@code timeout}: on any failure it releases those
     * it holds and backs off for a random 0.05–1 ms before the next attempt.
     *
     * @return true when all are held (unlock them with {@link #unlockAll}); false on timeout, holding none
     */
    public static boolean tryLockAll(Duration timeout, ReentrantLock... locks) throws InterruptedException {
        long deadline = System.nanoTime() + Event.toNanos(timeout);
        while (true) {
            int held = 0;
            while (held < locks.length && locks[held].tryLock()) {
                held++;
            }
            if (held == locks.length) {
                return true;
            }
            for (int i = held - 1; i >= 0; i--) {
                locks[i].unlock();
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(50, 1000)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
