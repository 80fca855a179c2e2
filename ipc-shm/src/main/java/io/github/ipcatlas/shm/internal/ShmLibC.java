package io.github.ipcatlas.shm.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.byref.IntByReference;

/**
 * The POSIX shared-memory functions (libc on glibc 2.34+). C names, no logic. Names go to C as UTF-8 whatever the
 * JVM's default charset: under {@code LC_ALL=C} on JDK 17 that charset is ASCII, and {@code /café} and {@code /cafü}
 * would both arrive as {@code /caf?}, one object under two names.
 */
public interface ShmLibC {
    /** {@code shm_open(3)}: open or create {@code /dev/shm/NAME}; returns a descriptor. */
    int shm_open(@Encoding("UTF-8") CharSequence name, int oflag, int mode);

    /** {@code shm_unlink(3)}. */
    int shm_unlink(@Encoding("UTF-8") CharSequence name);

    /**
     * {@code sem_open(3)}: a named semaphore ({@code /dev/shm/sem.NAME}); returns {@code SEM_FAILED} (NULL in glibc) on
     * failure. Mode and value are read only with {@code O_CREAT}.
     */
    @Variadic(fixedCount = 2)
    Pointer sem_open(@Encoding("UTF-8") CharSequence name, int oflag, int mode, int value);

    int sem_close(Pointer semaphore);

    int sem_unlink(@Encoding("UTF-8") CharSequence name);

    int sem_wait(Pointer semaphore);

    int sem_trywait(Pointer semaphore);

    /** {@code sem_timedwait}: {@code absoluteTimeout} is the address of a CLOCK_REALTIME {@code timespec}. */
    int sem_timedwait(Pointer semaphore, long absoluteTimeout);

    int sem_post(Pointer semaphore);

    int sem_getvalue(Pointer semaphore, @Out IntByReference value);

    // Process-shared robust mutexes. The pthread functions return the error number instead of setting errno; the
    // mutex is passed by its address in the shared mapping.

    int pthread_mutexattr_init(Pointer attributes);

    int pthread_mutexattr_setpshared(Pointer attributes, int shared);

    int pthread_mutexattr_setrobust(Pointer attributes, int robust);

    int pthread_mutexattr_destroy(Pointer attributes);

    int pthread_mutex_init(long mutex, Pointer attributes);

    int pthread_mutex_lock(long mutex);

    int pthread_mutex_trylock(long mutex);

    /** {@code absoluteTimeout}: address of a CLOCK_REALTIME {@code timespec}. */
    int pthread_mutex_timedlock(long mutex, long absoluteTimeout);

    int pthread_mutex_unlock(long mutex);

    int pthread_mutex_consistent(long mutex);

    /** {@code ftruncate(2)}. */
    int ftruncate(int fd, long length);

    /** {@code posix_fallocate(3)}; returns the error number. */
    int posix_fallocate(int fd, long offset, long length);

    /** {@code pread(2)} into direct memory at {@code buffer}: reads at {@code offset}, leaving the file offset alone. */
    long pread(int fd, long buffer, long count, long offset);

    /** {@code memfd_create(2)}: an anonymous file in memory; {@code name} is a label for {@code /proc}, not a path. */
    int memfd_create(@Encoding("UTF-8") CharSequence name, int flags);
}
