package io.github.ipcatlas.shm;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.internal.RealtimeTimespec;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.internal.ShmLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A mutex inside shared memory that processes lock and unlock ({@code pthread_mutex} with
 * {@code PTHREAD_PROCESS_SHARED} and {@code PTHREAD_MUTEX_ROBUST}), and that survives its owner's death: when a
 * process dies holding it, the kernel hands it to the next locker with {@code EOWNERDEAD}, reported here as
 * {@link OwnerDiedException} — the lock is then held, and the caller repairs the data, calls
 * {@link #markConsistent()} and unlocks. A named semaphore used as a lock cannot do that: a dead holder's count is
 * simply gone.
 *
 * <pre>{@code
 * RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);   // once, by the creator
 * RobustMutex mutex = RobustMutex.attach(segment.memory(), 0);       // everyone else
 * try { mutex.lock(); } catch (OwnerDiedException e) { repair(); mutex.markConsistent(); }
 * try { ... } finally { mutex.unlock(); }
 * }</pre>
 *
 * <p><b>Ownership belongs to an operating-system thread.</b> The thread that locks must unlock. Virtual threads
 * can move between carrier threads, so they are refused ({@link IllegalStateException}); use a platform thread.
 *
 * <p>Occupies {@link #BYTES} bytes at an 8-byte aligned offset of a shared mapping (it holds a
 * {@code pthread_mutex_t}, 40 bytes on x86-64 glibc).
 */
public final class RobustMutex {
    /** Bytes reserved in the mapping. */
    public static final int BYTES = 64;
    private static final int PTHREAD_PROCESS_SHARED = 1;
    private static final int PTHREAD_MUTEX_ROBUST = 1;
    private static final int EOWNERDEAD = 130;
    private static final int ENOTRECOVERABLE = 131;
    private static final int EBUSY = 16;
    private static final Method IS_VIRTUAL = isVirtualMethod();

    private final MappedFile memory;
    private final long address;
    private final String description;

    private RobustMutex(MappedFile memory, long offset) {
        this.memory = memory;
        this.address = memory.address(offset, BYTES);
        this.description = "robust mutex at offset " + offset + " of " + memory.file();
    }

    /**
     * Initialises a new mutex at {@code offset} of {@code memory}, unlocked. Call it once, in one process, before
     * others {@link #attach}; initialising a mutex that someone holds is undefined behaviour in C.
     */
    public static RobustMutex initialize(MappedFile memory, long offset) throws IOException {
        RobustMutex mutex = new RobustMutex(check(memory, offset), offset);
        ShmLibC libc = binding();
        Pointer attributes = Memory.allocateDirect(Runtime.getRuntime(libc), 64, true);
        checkResult(libc.pthread_mutexattr_init(attributes), "pthread_mutexattr_init", mutex.description);
        try {
            checkResult(libc.pthread_mutexattr_setpshared(attributes, PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared",
                    mutex.description);
            checkResult(libc.pthread_mutexattr_setrobust(attributes, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust",
                    mutex.description);
            checkResult(libc.pthread_mutex_init(mutex.address, attributes), "pthread_mutex_init", mutex.description);
        } finally {
            libc.pthread_mutexattr_destroy(attributes);
        }
        return mutex;
    }

    /** The mutex another process initialised at {@code offset} of {@code memory}. */
    public static RobustMutex attach(MappedFile memory, long offset) {
        return new RobustMutex(check(memory, offset), offset);
    }

    /**
     * Locks, waiting as long as it takes.
     *
     * @throws OwnerDiedException if the previous owner died holding it (the lock is now held by this thread)
     */
    public void lock() throws IOException {
        requirePlatformThread();
        handle(binding().pthread_mutex_lock(address), "pthread_mutex_lock");
    }

    /**
     * Locks if the mutex becomes free within {@code timeout}.
     *
     * @return false if the deadline passed first
     * @throws OwnerDiedException if the previous owner died holding it (the lock is now held by this thread)
     */
    public boolean tryLock(Duration timeout) throws IOException {
        requirePlatformThread();
        Deadline deadline = Deadline.after(timeout);
        if (timeout.isZero()) {
            int result = binding().pthread_mutex_trylock(address);
            return result != EBUSY && handle(result, "pthread_mutex_trylock");
        }
        RealtimeTimespec timespec = new RealtimeTimespec();
        while (true) {
            int result = binding().pthread_mutex_timedlock(address, timespec.fromNow(deadline.remainingNanos()));
            if (result == Errors.ETIMEDOUT) {
                if (deadline.expired()) {
                    return false;
                }
                continue; // the wall clock jumped ahead; the monotonic deadline has not passed
            }
            return handle(result, "pthread_mutex_timedlock");
        }
    }

    /** Unlocks; only the thread that locked may. */
    public void unlock() throws IOException {
        requirePlatformThread();
        int result = binding().pthread_mutex_unlock(address);
        if (result != 0) {
            throw Errors.of("pthread_mutex_unlock", description, result,
                    result == Errors.EPERM ? "this thread does not hold the lock" : null);
        }
    }

    /**
     * Runs {@code action} holding the lock — the Java form of Python's {@code with value.get_lock():}. If the
     * previous owner died holding the lock, {@code repair} runs first (still holding it) to put the protected data
     * right, and the mutex is marked consistent before {@code action} runs.
     */
    public <T> T withLock(java.util.concurrent.Callable<T> action, Runnable repair) throws Exception {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repair, "repair");
        try {
            lock();
        } catch (OwnerDiedException ownerDied) {
            repair.run();
            markConsistent();
        }
        try {
            return action.call();
        } finally {
            unlock();
        }
    }

    /** After {@link OwnerDiedException}, declares the protected data repaired, so the mutex stays usable. */
    public void markConsistent() throws IOException {
        int result = binding().pthread_mutex_consistent(address);
        if (result != 0) {
            throw Errors.of("pthread_mutex_consistent", description, result,
                    result == Errors.EINVAL ? "only after an OwnerDiedException, by the thread that holds the lock" : null);
        }
    }

    /** The mapping that holds this mutex. */
    public MappedFile memory() {
        return memory;
    }

    @Override
    public String toString() {
        return "RobustMutex[" + description + "]";
    }

    /** True when locked; throws for owner death and every other error. */
    private boolean handle(int result, String call) throws IOException {
        if (result == 0) {
            return true;
        }
        if (result == EOWNERDEAD) {
            throw new OwnerDiedException(call + "(" + description + "): the previous owner died holding the lock; this "
                    + "thread holds it now: check the protected data, call markConsistent(), then unlock()");
        }
        if (result == ENOTRECOVERABLE) {
            throw new MutexNotRecoverableException(call + "(" + description + ") failed: ENOTRECOVERABLE (State not "
                    + "recoverable); an owner died and the lock was released without markConsistent(): it can never be "
                    + "locked again; initialise a new mutex");
        }
        throw Errors.of(call, description, result);
    }

    private static MappedFile check(MappedFile memory, long offset) {
        Objects.requireNonNull(memory, "memory");
        if (offset < 0 || offset % 8 != 0 || offset > memory.length() - BYTES) {
            throw new IllegalArgumentException("a robust mutex needs " + BYTES + " bytes at an 8-byte aligned offset; offset "
                    + offset + " of a " + memory.length() + "-byte mapping does not do");
        }
        return memory;
    }

    private static void checkResult(int result, String call, String description) throws IOException {
        if (result != 0) {
            throw Errors.of(call, description, result);
        }
    }

    private static void requirePlatformThread() {
        if (IS_VIRTUAL != null) {
            try {
                if ((boolean) IS_VIRTUAL.invoke(Thread.currentThread())) {
                    throw new IllegalStateException("a robust mutex belongs to an operating-system thread; a virtual "
                            + "thread may unlock from another carrier: use a platform thread");
                }
            } catch (ReflectiveOperationException ignored) {
                // no way to tell: proceed
            }
        }
    }

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static ShmLibC binding() {
        return Binding.SHM;
    }

    private static final class Binding {
        static final ShmLibC SHM = NativeLibrary.load(ShmLibC.class, "c");
    }
}
