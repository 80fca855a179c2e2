package io.github.ipcatlas.core;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ipcatlas.core.internal.Native;

/**
 * A file descriptor that one object owns, with a close that is safe against calls still running on it.
 *
 * <p>Every call on the descriptor is bracketed by {@link #acquire()} and {@link #release()}. {@link #close()} is
 * idempotent; the descriptor number is closed when no call is in flight — by {@code close()} itself, or by the last
 * {@code release()} after it — so the number can never be reused (by another {@code open}) under a running call.
 * Closing does not wake a thread blocked in the kernel on the descriptor; that call finishes normally first.
 *
 * <p>Thread-safe and lock-free: two compare-and-sets per call.
 */
public final class OwnedDescriptor {
    private static final int CLOSED = 1;
    private static final int CALL = 2;

    private final int fd;
    /** Calls in flight times two, plus one once close() was called. */
    private final AtomicInteger state = new AtomicInteger();

    /** Takes ownership of {@code fd}. */
    public OwnedDescriptor(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " is negative");
        }
        this.fd = fd;
    }

    /**
     * Marks a call in progress and returns the descriptor it may use until {@link #release()}.
     *
     * @throws ClosedChannelException if {@link #close()} was called
     */
    public int acquire() throws ClosedChannelException {
        int current;
        do {
            current = state.get();
            if ((current & CLOSED) != 0) {
                throw new ClosedChannelException();
            }
        } while (!state.compareAndSet(current, current + CALL));
        return fd;
    }

    /** Ends a call begun with {@link #acquire()}, closing the descriptor if {@code close()} came meanwhile. */
    public void release() {
        if (state.addAndGet(-CALL) == CLOSED) {
            closeNow();
        }
    }

    /** The descriptor number while open. */
    public int fd() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /** Closes the descriptor, now or when the last call in flight returns. Idempotent. */
    public void close() {
        int current;
        do {
            current = state.get();
            if ((current & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(current, current | CLOSED));
        if (current == 0) {
            closeNow();
        }
    }

    /** The number, for messages, whether open or not. */
    @Override
    public String toString() {
        return "fd " + fd + (isOpen() ? "" : " (closed)");
    }

    private void closeNow() {
        Native.libc().close(fd); // Linux releases the number even when close reports EINTR or EIO: never retry.
    }
}
