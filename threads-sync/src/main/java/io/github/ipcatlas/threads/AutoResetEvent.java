package io.github.ipcatlas.threads;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An event that one waiter consumes: {@link #set()} releases exactly one waiting thread and the flag goes back to
 * clear; with nobody waiting, the flag stays set until the next {@link #await} takes it. Several {@code set()} calls
 * with nobody waiting count as one (like a binary semaphore, unlike a counting one).
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads. Actions before a {@code set()}
 * happen-before actions after the {@code await} that consumed it.
 */
public final class AutoResetEvent {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean flag; // guarded by lock

    /** Sets the flag and wakes one waiter, which will clear it. */
    public void set() {
        lock.lock();
        try {
            flag = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the flag is set (nobody has consumed the last {@code set()} yet). */
    public boolean isSet() {
        lock.lock();
        try {
            return flag;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the flag is set, then clears it. */
    public void await() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!flag) {
                changed.await();
            }
            flag = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits at most {@code timeout} for the flag and clears it.
     *
     * @return true if this call consumed a {@code set()}, false on timeout
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Event.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!flag) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            flag = false;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
