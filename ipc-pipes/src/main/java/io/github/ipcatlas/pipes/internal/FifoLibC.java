package io.github.ipcatlas.pipes.internal;

/** The one libc function FIFOs need beyond the core binding. C names, no logic. */
public interface FifoLibC {
    /** {@code mkfifo(3)}: create a FIFO special file; the process umask applies to {@code mode}. */
    int mkfifo(@jnr.ffi.annotations.Encoding("UTF-8") CharSequence path, int mode);
}
