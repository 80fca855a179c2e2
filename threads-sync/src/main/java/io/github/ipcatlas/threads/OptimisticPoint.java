package io.github.ipcatlas.threads;

import java.util.concurrent.locks.StampedLock;

/**
 * A point read far more often than moved, guarded by a {@link StampedLock}: readers first try an optimistic read
 * (no lock taken, no write to shared memory), validate the stamp afterwards, and fall back to a real read lock only
 * if a writer came in between. The reads must copy the fields into locals before validating: the values are only
 * trustworthy once the stamp is.
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads. A successful {@code validate} means no
 * write lock was acquired since the stamp was issued, so the copied fields form a consistent pair.
 * {@code StampedLock} is not reentrant.
 */
public final class OptimisticPoint {
    private final StampedLock lock = new StampedLock();
    private double x; // guarded by lock
    private double y; // guarded by lock

    /** Moves the point by ({@code dx}, {@code dy}) under the write lock. */
    public void move(double dx, double dy) {
        long stamp = lock.writeLock();
        try {
            x += dx;
            y += dy;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** {@code {x, y}}, read optimistically first. */
    public double[] read() {
        long stamp = lock.tryOptimisticRead();
        double currentX = x;
        double currentY = y;
        if (!lock.validate(stamp)) { // a writer came in between: read again, this time under the read lock
            stamp = lock.readLock();
            try {
                currentX = x;
                currentY = y;
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return new double[] {currentX, currentY};
    }
}
