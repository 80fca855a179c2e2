package io.github.ipcatlas.pipes.internal;

/** {@code eventfd(2)}, which the core binding lacks. C names, no logic. */
public interface EventFdLibC {
    /** {@code EFD_SEMAPHORE}: a read takes 1 from the counter instead of all of it. */
    int EFD_SEMAPHORE = 1;

    /** {@code eventfd(2)}: a new counter object set to {@code initval}; {@code flags} as {@code EFD_*}. */
    int eventfd(int initval, int flags);
}
