package io.github.ipcatlas.sysv;

import java.time.Instant;

/**
 * A System V semaphore set's {@code struct semid_ds} ({@code semctl(IPC_STAT)}), as {@code ipcs -s -i ID} shows it.
 *
 * @param key           the key
 * @param permissions   owner, creator, mode
 * @param count         semaphores in the set ({@code sem_nsems})
 * @param lastOperation when {@code semop} last changed or waited on the set, null if never: a set whose creator has
 *                      not yet run one is not initialised (see {@link SysvSemaphoreSet#openInitialised})
 * @param lastChange    when it was created or last changed by {@code IPC_SET} or {@code SETVAL}/{@code SETALL}
 */
public record SemaphoreSetStatus(SysvKey key, IpcPermissions permissions, int count, Instant lastOperation,
                                 Instant lastChange) {
}
