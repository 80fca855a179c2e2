package io.github.ipcatlas.sysv;

import java.time.Instant;

/**
 * A System V shared-memory segment's {@code struct shmid_ds} ({@code shmctl(IPC_STAT)}), as
 * {@code ipcs -m -i ID} shows it.
 *
 * @param key          the key ({@link SysvKey#PRIVATE} once the segment is marked for removal)
 * @param permissions  owner, creator, mode
 * @param size         the size asked for at creation, in bytes ({@code shm_segsz}); the mapping is whole pages
 * @param attachments  how many attachments exist now, in all processes ({@code shm_nattch})
 * @param creatorPid   the process that created it
 * @param lastPid      the process that attached or detached last
 * @param removed      whether it was removed while attached ({@code SHM_DEST}): it goes with the last detach
 * @param locked       whether it is locked in memory ({@code SHM_LOCK})
 * @param lastAttach   when it was last attached, null if never
 * @param lastDetach   when it was last detached, null if never
 * @param lastChange   when it was created or last changed by {@code IPC_SET}
 */
public record SharedMemoryStatus(SysvKey key, IpcPermissions permissions, long size, long attachments, int creatorPid,
                                 int lastPid, boolean removed, boolean locked, Instant lastAttach, Instant lastDetach,
                                 Instant lastChange) {
}
