package io.github.ipcatlas.mmap.internal;

import jnr.ffi.Pointer;

/**
 * {@code fcntl(2)} with a {@code struct flock} argument, for open-file-description locks. C name, no logic.
 *
 * <pre>
 *  struct flock (x86-64 and aarch64, 32 bytes)
 *       0  2  l_type     F_RDLCK 0, F_WRLCK 1, F_UNLCK 2
 *       2  2  l_whence   SEEK_SET 0
 *       8  8  l_start
 *      16  8  l_len      0: to the end of the file, however it grows
 *      24  4  l_pid      must be 0 for F_OFD_* commands
 * </pre>
 */
public interface RecordLockLibC {
    int FLOCK_BYTES = 32;
    int L_TYPE = 0;
    int L_WHENCE = 2;
    int L_START = 8;
    int L_LEN = 16;
    int L_PID = 24;

    int fcntl(int fd, int cmd, Pointer flock);
}
