package io.github.ipcatlas.shm;

/**
 * How an attempt to lock a {@link RobustMutex} ended. {@link #OWNER_DIED} is a result the caller must act on: the lock
 * is held, and the data it protects may be half updated.
 */
public enum LockResult {
    /** The lock is held; the protected data is as the last owner left it on unlock. */
    ACQUIRED,
    /**
     * The lock is held, but its previous owner died holding it ({@code EOWNERDEAD}): repair the protected data, call
     * {@link RobustMutex#markConsistent()}, then unlock. Unlocking without {@code markConsistent()} makes the mutex
     * unusable for everyone ({@link MutexNotRecoverableException}).
     */
    OWNER_DIED,
    /** The deadline passed first; the lock is not held. */
    TIMED_OUT;

    /** Whether the calling thread now holds the lock. */
    public boolean held() {
        return this != TIMED_OUT;
    }
}
