package io.github.ipcatlas.shm;

import java.io.IOException;

/**
 * The robust mutex can never be locked again ({@code ENOTRECOVERABLE}): an owner died holding it, and the next owner
 * unlocked without {@link RobustMutex#markConsistent()}. Initialise a new mutex (and check the data it protected).
 */
public final class MutexNotRecoverableException extends IOException {
    private static final long serialVersionUID = 1L;

    public MutexNotRecoverableException(String message) {
        super(message);
    }
}
