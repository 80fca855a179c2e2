package io.github.ipcatlas.shm.internal;

/**
 * Unnamed process-shared semaphores ({@code sem_init(3)} with {@code pshared = 1}) placed inside a shared mapping,
 * passed by address. C names, no logic.
 */
public interface ShmSemLibC {
    int sem_init(long semaphore, int processShared, int value);

    int sem_wait(long semaphore);

    /** {@code absoluteTimeout}: address of a CLOCK_REALTIME {@code timespec}. */
    int sem_timedwait(long semaphore, long absoluteTimeout);

    int sem_post(long semaphore);
}
