package io.github.ipcatlas.threads;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A counting semaphore that refuses to be released more often than acquired, like Python's
 * {@code threading.BoundedSemaphore}. {@link java.util.concurrent.Semaphore} accepts any {@code release()} and
 * silently grows past its initial permits, which turns a double release (a bug) into a resource limit that no
 * longer holds.
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads. Actions before {@code release()}
 * happen-before actions after an acquire that obtains the released permit.
 */
public final class BoundedSemaphore {
    private final int maxPermits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private int permits; // guarded by lock

    /** A semaphore with {@code permits} permits, all available (at least 1). */
    public BoundedSemaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits " + permits + " must be at least 1");
        }
        this.maxPermits = permits;
        this.permits = permits;
    }

    /** Takes a permit, waiting for one. */
    public void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (permits == 0) {
                available.await();
            }
            permits--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a permit if one becomes available within {@code timeout}.
     *
     * @return false on timeout
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        long nanos = Event.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (permits == 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = available.awaitNanos(nanos);
            }
            permits--;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a permit.
     *
     * @throws IllegalStateException if every permit is already available (a release without an acquire)
     */
    public void release() {
        lock.lock();
        try {
            if (permits == maxPermits) {
                throw new IllegalStateException("release() without acquire(): all " + maxPermits
                        + " permits are already available");
            }
            permits++;
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Permits available now. */
    public int availablePermits() {
        lock.lock();
        try {
            return permits;
        } finally {
            lock.unlock();
        }
    }
}
