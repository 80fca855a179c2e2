package io.github.ipcatlas.threads;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.Deadline;

/**
 * The Java twin of Python's {@code threading.Event}: a flag that threads can wait for. Java has none built in.
 *
 * <p><b>Manual reset</b>, as in Python: {@link #set()} wakes every waiting thread and the flag stays set, so later
 * {@link #await()} calls return at once, until {@link #clear()}. For a flag that one waiter consumes, see
 * {@link AutoResetEvent}; for a one-shot flag that can never be cleared, {@link java.util.concurrent.CountDownLatch}
 * with a count of 1 is the standard tool (and it is what this class becomes if {@code clear()} is never called).
 *
 * <pre>{@code
 * Event ready = new Event();
 * worker:  ready.await();          // blocks until set
 * main:    ready.set();            // releases every waiter
 * }</pre>
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads. Actions in a thread before
 * {@link #set()} <i>happen-before</i> actions after an {@link #await} (or {@link #isSet()}) that observes the flag
 * set by that call, so data written before {@code set()} is visible to the released waiters without further
 * synchronisation.
 */
public class Event {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock; volatile so isSet() need not take it.
    private volatile boolean flag;

    /** Sets the flag and wakes every thread waiting for it. */
    public void set() {
        lock.lock();
        try {
            flag = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Clears the flag: later waiters block until the next {@link #set()}. */
    public void clear() {
        lock.lock();
        try {
            flag = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return flag;
    }

    /** Waits until the flag is set (returns at once if it is). */
    public void await() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!flag) { // a wake-up proves nothing: spurious wake-ups exist, and clear() may have come first
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits at most {@code timeout} for the flag.
     *
     * @return whether the flag is set, like Python's {@code Event.wait(timeout)}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!flag) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (flag ? "set" : "clear") + "]";
    }

    /** A timeout in nanoseconds, after checking it (null and negative refused; capped at a year). */
    static long toNanos(Duration timeout) {
        return Deadline.check(timeout).toNanos();
    }
}
