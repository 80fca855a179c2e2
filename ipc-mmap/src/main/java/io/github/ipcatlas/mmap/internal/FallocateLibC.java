package io.github.ipcatlas.mmap.internal;

/** {@code posix_fallocate(3)}, which the JDK has no API for. C name, no logic; returns the error number. */
public interface FallocateLibC {
    int posix_fallocate(int fd, long offset, long length);
}
