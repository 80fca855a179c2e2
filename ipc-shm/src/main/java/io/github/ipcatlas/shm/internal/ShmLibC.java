package io.github.ipcatlas.shm.internal;

/** The POSIX shared-memory functions (libc on glibc 2.34+). C names, no logic. */
public interface ShmLibC {
    /** {@code shm_open(3)}: open or create {@code /dev/shm/NAME}; returns a descriptor. */
    int shm_open(CharSequence name, int oflag, int mode);

    /** {@code shm_unlink(3)}. */
    int shm_unlink(CharSequence name);

    /** {@code posix_fallocate(3)}; returns the error number. */
    int posix_fallocate(int fd, long offset, long length);
}
