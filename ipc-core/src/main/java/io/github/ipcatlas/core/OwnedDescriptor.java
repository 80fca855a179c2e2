package io.github.ipcatlas.core;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;

import io.github.ipcatlas.core.linux.Leases;
import io.github.ipcatlas.core.linux.Native;

/**
 * A file descriptor that one object owns, with a close that is safe against calls still running on it.
 *
 * <p>Every call on the descriptor is bracketed by {@link #acquire()} and {@link #release()}. {@link #close()} is
 * idempotent; the descriptor number is closed when no call is in flight — by {@code close()} itself, or by the last
 * {@code release()} after it — so the number can never be reused (by another {@code open}) under a running call.
 * Closing does not wake a thread blocked in the kernel on the descriptor; that call finishes normally first.
 *
 * <p>Thread-safe and lock-free ({@link Leases}).
 */
public final class OwnedDescriptor {
    private final int fd;
    private final Leases calls = new Leases();
    /** Set once the number was handed back to the kernel, by whichever of close() and release() did it. */
    private volatile boolean freed;

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
        if (!calls.tryAcquire()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Ends a call begun with {@link #acquire()}, closing the descriptor if {@code close()} came meanwhile. */
    public void release() {
        if (calls.release()) {
            closeNow();
        }
    }

    /**
     * Leases the descriptor: its number keeps naming this file until the lease is closed, whatever other threads do.
     *
     * @throws ClosedChannelException if {@link #close()} was called
     */
    public DescriptorLease lease() throws ClosedChannelException {
        return new DescriptorLease(this);
    }

    /**
     * The descriptor number while open, for messages and for code that alone may close it; another thread's
     * {@code close()} can free the number at once and the kernel reuse it. Hand it to a system call through
     * {@link #lease()}.
     */
    public int fd() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return calls.isOpen();
    }

    /** Closes the descriptor, now or when the last call in flight returns. Idempotent. */
    public void close() {
        if (calls.close()) {
            closeNow();
        }
    }

    /**
     * Waits until the descriptor was really closed — {@link #close()} was called and every call in flight has
     * returned — for code whose promise depends on it (a socket's name is free only then). Spins briefly, then sleeps
     * in 1-ms steps.
     *
     * @return false if calls were still in flight at the deadline
     */
    public boolean awaitFreed(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        for (int spins = 0; !freed; spins++) {
            if (deadline.expired()) {
                return freed;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        return true;
    }

    /** The number, for messages, whether open or not. */
    @Override
    public String toString() {
        return "fd " + fd + (isOpen() ? "" : " (closed)");
    }

    private void closeNow() {
        Native.libc().close(fd); // Linux releases the number even when close reports EINTR or EIO: never retry.
        freed = true;
    }
}
