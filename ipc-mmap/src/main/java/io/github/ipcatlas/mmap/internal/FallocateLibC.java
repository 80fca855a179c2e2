package io.github.ipcatlas.mmap.internal;

/** {@code posix_fallocate(3)} and {@code ftruncate(2)} on a descriptor. C names, no logic. */
public interface FallocateLibC {
    /** Returns the error number (0 on success), as {@code posix_fallocate} does. */
    int posix_fallocate(int fd, long offset, long length);

    /** Returns -1 with errno set on failure. */
    int ftruncate(int fd, long length);
}
