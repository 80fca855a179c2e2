package io.github.ipcatlas.shm;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CREAT;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_EXCL;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.RealtimeTimespec;
import io.github.ipcatlas.shm.internal.ShmLibC;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * A POSIX named semaphore ({@code sem_overview(7)}): a counter any process can open by name, whose
 * {@link #acquire()} waits while it is zero and {@link #release()} increments it and wakes one waiter — the classic
 * cross-process lock (initial value 1) or signal (initial value 0). It lives in {@code /dev/shm/sem.NAME} until
 * {@linkplain #unlink(String) unlinked}.
 *
 * <p>Timeouts are measured on the monotonic clock (the kernel wants an absolute {@code CLOCK_REALTIME} deadline,
 * which is recomputed if the wall clock jumps ahead); interrupted waits ({@code EINTR}) are retried. A semaphore has
 * no owner: if a process dies between acquire and release, the count stays taken — for a lock that survives its
 * holder's death, see the robust mutex (to come).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and never removes the name.
 */
public final class NamedSemaphore implements AutoCloseable {
    /** Mode of a semaphore created without an explicit one. */
    public static final int DEFAULT_MODE = 0600;
    /** Largest value ({@code SEM_VALUE_MAX}). */
    public static final int MAX_VALUE = Integer.MAX_VALUE;

    private final String name;
    private final Pointer semaphore;
    // Guarded by this: calls in progress, and whether close() was called. sem_close unmaps the semaphore, so it
    // waits until no call (a blocked acquire, say) is using it.
    private int inFlight;
    private boolean closed;

    private NamedSemaphore(String name, Pointer semaphore) {
        this.name = name;
        this.semaphore = semaphore;
    }

    /**
     * Creates a new semaphore with {@code initialValue} (mode 0600).
     *
     * @throws java.nio.file.FileAlreadyExistsException if one of that name exists
     */
    public static NamedSemaphore create(String name, int initialValue) throws IOException {
        validateName(name);
        if (initialValue < 0) {
            throw new IllegalArgumentException("initial value " + initialValue + " is negative");
        }
        return open(name, O_RDWR | O_CREAT | O_EXCL, DEFAULT_MODE, initialValue);
    }

    /**
     * Opens an existing semaphore.
     *
     * @throws java.nio.file.NoSuchFileException if there is none of that name
     */
    public static NamedSemaphore open(String name) throws IOException {
        validateName(name);
        return open(name, O_RDWR, 0, 0);
    }

    private static NamedSemaphore open(String name, int flags, int mode, int value) throws IOException {
        Pointer semaphore = binding().sem_open(name, flags, mode, value);
        if (semaphore == null || semaphore.address() == 0) {
            throw Errors.of("sem_open", name, Native.errno());
        }
        return new NamedSemaphore(name, semaphore);
    }

    /** Removes the name ({@code sem_unlink(3)}); processes that have it open keep using it. */
    public static void unlink(String name) throws IOException {
        validateName(name);
        if (binding().sem_unlink(name) != 0) {
            throw Errors.of("sem_unlink", name, Native.errno());
        }
    }

    /** Removes the name if it exists; returns whether it did. */
    public static boolean unlinkIfExists(String name) throws IOException {
        validateName(name);
        if (binding().sem_unlink(name) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errors.ENOENT) {
            return false;
        }
        throw Errors.of("sem_unlink", name, errno);
    }

    /**
     * Waits until the value is positive, then decrements it ({@code sem_wait(3)}). A thread blocked here is not woken
     * by {@link #close()}; prefer {@link #tryAcquire(Duration)} where a waiter must be stoppable.
     */
    public void acquire() throws IOException {
        begin();
        try {
            while (binding().sem_wait(semaphore) != 0) {
                int errno = Native.errno();
                if (errno != Errors.EINTR) {
                    throw Errors.of("sem_wait", name, errno);
                }
            }
        } finally {
            end();
        }
    }

    /**
     * Decrements the value if it is positive now ({@code sem_trywait(3)}).
     *
     * @return false if it was zero
     */
    public boolean tryAcquire() throws IOException {
        begin();
        try {
            while (binding().sem_trywait(semaphore) != 0) {
                int errno = Native.errno();
                if (errno == Errors.EAGAIN) {
                    return false;
                }
                if (errno != Errors.EINTR) {
                    throw Errors.of("sem_trywait", name, errno);
                }
            }
            return true;
        } finally {
            end();
        }
    }

    /**
     * Waits at most {@code timeout} for a positive value, then decrements it ({@code sem_timedwait(3)}).
     *
     * @return false if the deadline passed first
     */
    public boolean tryAcquire(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        RealtimeTimespec timespec = new RealtimeTimespec();
        begin();
        try {
            return timedWait(deadline, timespec);
        } finally {
            end();
        }
    }

    private boolean timedWait(Deadline deadline, RealtimeTimespec timespec) throws IOException {
        while (true) {
            if (binding().sem_timedwait(semaphore, timespec.fromNow(deadline.remainingNanos())) == 0) {
                return true;
            }
            int errno = Native.errno();
            if (errno == Errors.EINTR || RealtimeTimespec.endedEarly(errno, deadline.nanoTime())) {
                continue;
            }
            if (errno == Errors.ETIMEDOUT) {
                return false;
            }
            throw Errors.of("sem_timedwait", name, errno);
        }
    }

    /**
     * Increments the value, waking one waiter ({@code sem_post(3)}).
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code EOVERFLOW} past {@link #MAX_VALUE}
     */
    public void release() throws IOException {
        begin();
        try {
            if (binding().sem_post(semaphore) != 0) {
                throw Errors.of("sem_post", name, Native.errno());
            }
        } finally {
            end();
        }
    }

    /** The current value ({@code sem_getvalue(3)}); a snapshot that may be stale at once. */
    public int value() throws IOException {
        IntByReference value = new IntByReference();
        begin();
        try {
            if (binding().sem_getvalue(semaphore, value) != 0) {
                throw Errors.of("sem_getvalue", name, Native.errno());
            }
            return value.intValue();
        } finally {
            end();
        }
    }

    /** The semaphore's name. */
    public String name() {
        return name;
    }

    /**
     * Closes this process's handle ({@code sem_close(3)}) once no call is using it; the semaphore stays until
     * unlinked. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (inFlight == 0) {
                binding().sem_close(semaphore);
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "NamedSemaphore[" + name + (closed ? ", closed" : "") + "]";
    }

    private synchronized void begin() {
        if (closed) {
            throw new IllegalStateException("NamedSemaphore[" + name + "] is closed");
        }
        inFlight++;
    }

    private synchronized void end() {
        if (--inFlight == 0 && closed) {
            binding().sem_close(semaphore);
        }
    }

    private static ShmLibC binding() {
        return Binding.SHM;
    }

    private static final class Binding {
        static final ShmLibC SHM = NativeLibrary.load(ShmLibC.class, "c");
    }

    /** glibc keeps a semaphore as {@code /dev/shm/sem.NAME}: four bytes of the 255 a file name may have are taken. */
    static final int NAME_MAX = 251;

    private static void validateName(String name) {
        IpcNames.validate(name);
        int bytes = name.substring(1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) {
            throw new IllegalArgumentException("semaphore name \"" + name.substring(0, 20) + "…\" is " + bytes
                    + " bytes after the '/'; glibc stores it as /dev/shm/sem.NAME, so the limit is " + NAME_MAX);
        }
    }
}
