package io.github.ipcatlas.core.linux;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls in flight on a resource, and whether it was closed: the state behind a close that is safe against running
 * calls. The resource is freed exactly once, when it is closed and no call holds a lease — by {@link #close()} if none
 * does, else by the last {@link #release()}. Lock-free: one compare-and-set per acquire, one add per release.
 */
public final class Leases {
    private static final long CLOSED = 1;
    private static final long LEASE = 2;

    /** Leases times two, plus one once close() was called. */
    private final AtomicLong state = new AtomicLong();

    /** Takes a lease; false (and none taken) if closed. */
    public boolean tryAcquire() {
        long current;
        do {
            current = state.get();
            if ((current & CLOSED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(current, current + LEASE));
        return true;
    }

    /**
     * Ends a lease; true if the caller must free the resource now (it was closed, and this was the last lease).
     *
     * @throws IllegalStateException if no lease is held: a release without its acquire would let the resource be
     *                               freed under a lease taken later
     */
    public boolean release() {
        long current;
        do {
            current = state.get();
            if (current < LEASE) {
                throw new IllegalStateException("a lease released that was never taken (or released twice)");
            }
        } while (!state.compareAndSet(current, current - LEASE));
        return current - LEASE == CLOSED;
    }

    /** Closes; true if the caller must free the resource now (this call closed it, and no lease is held). */
    public boolean close() {
        long current;
        do {
            current = state.get();
            if ((current & CLOSED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(current, current | CLOSED));
        return current == 0;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }
}
