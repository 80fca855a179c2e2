package io.github.ipcatlas.sysv;

/**
 * The {@code struct ipc_perm} of a System V object: who owns it, who made it, and its permission bits. Only the
 * owner or creator (or a privileged process) may change the mode or remove the object.
 *
 * @param uid        owner's user id
 * @param gid        owner's group id
 * @param creatorUid creator's user id
 * @param creatorGid creator's group id
 * @param mode       the permission bits ({@code 0600} for what this library creates), without shared memory's
 *                   status bits
 */
public record IpcPermissions(int uid, int gid, int creatorUid, int creatorGid, int mode) {
    /** The mode as {@code ipcs} prints it, e.g. {@code 600}. */
    public String octalMode() {
        return Integer.toOctalString(mode);
    }
}
