package io.github.ipcatlas.shm;

import java.io.IOException;

/**
 * The lock was acquired, but its previous owner died holding it ({@code EOWNERDEAD}): the data it protects may be
 * half-updated. The caller now owns the lock. Check or repair the data, call {@link RobustMutex#markConsistent()},
 * then {@link RobustMutex#unlock()}; unlocking without marking it consistent makes the mutex permanently unusable
 * ({@code ENOTRECOVERABLE}).
 */
public final class OwnerDiedException extends IOException {
    private static final long serialVersionUID = 1L;

    public OwnerDiedException(String message) {
        super(message);
    }
}
