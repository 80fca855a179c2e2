package io.github.ipcatlas.shm;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.RealtimeTimespec;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.NativeAccess;
import io.github.ipcatlas.shm.internal.ShmLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A mutex inside shared memory that processes lock and unlock ({@code pthread_mutex} with
 * {@code PTHREAD_PROCESS_SHARED} and {@code PTHREAD_MUTEX_ROBUST}), and that survives its owner's death: when a
 * process dies holding it, the kernel hands it to the next locker with {@code EOWNERDEAD}, returned here as
 * {@link LockResult#OWNER_DIED} — the lock is then held, and the caller repairs the data, calls
 * {@link #markConsistent()} and unlocks. A named semaphore used as a lock cannot do that: a dead holder's count is
 * simply gone.
 *
 * <pre>{@code
 * RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);   // once, by the creator
 * RobustMutex mutex = RobustMutex.attach(segment.memory(), 0);       // everyone else
 *
 * mutex.withLock(() -> update(), () -> repair());                    // repair runs only after an owner's death
 *
 * if (mutex.lock() == LockResult.OWNER_DIED) {                        // or by hand
 *     repair();
 *     mutex.markConsistent();
 * }
 * try { ... } finally { mutex.unlock(); }
 * }</pre>
 *
 * <p><b>What a crash leaves behind.</b> An owner killed at any instruction — before, inside or after its critical
 * section — never leaves the mutex locked for ever: the next locker gets it with {@code OWNER_DIED} and the data as
 * the dead owner left it, possibly half updated. Nothing else is lost. If that locker unlocks without
 * {@code markConsistent()}, or dies too, the mutex becomes permanently unusable ({@link MutexNotRecoverableException})
 * or passes {@code OWNER_DIED} on, respectively.
 *
 * <p><b>Ownership belongs to an operating-system thread.</b> The thread that locks must unlock. Virtual threads
 * can move between carrier threads, so they are refused ({@link IllegalStateException}); use a platform thread.
 *
 * <p><b>Lifetime.</b> The mutex is a view of its {@link MappedFile}: once that is closed, locking throws
 * {@link IllegalStateException}. A thread blocked in {@link #lock()} keeps the memory mapped until it returns, and a
 * thread that holds the lock keeps it mapped until it unlocks — which it still can, through the object it locked
 * with. Occupies {@link #BYTES} bytes at an 8-byte aligned offset of a shared mapping (it holds a
 * {@code pthread_mutex_t}, 40 bytes on x86-64 glibc).
 */
public final class RobustMutex {
    /** Bytes reserved in the mapping. */
    public static final int BYTES = 64;
    private static final int PTHREAD_PROCESS_SHARED = 1;
    private static final int PTHREAD_MUTEX_ROBUST = 1;
    private static final int EOWNERDEAD = 130;
    private static final int ENOTRECOVERABLE = 131;
    private static final Method IS_VIRTUAL = isVirtualMethod();

    private final MappedFile memory;
    private final long offset;
    private final String description;
    // The thread of this process that holds the lock through this object, and the address it locked. A held lock
    // keeps its lease, so the memory stays mapped until unlock() however the mapping is closed meanwhile: the kernel
    // needs it mapped to hand the lock on if the thread dies, and the holder needs it to unlock. Written only by the
    // holder while it holds the lock; other threads only compare it with themselves.
    private volatile Thread holder;
    private volatile long heldAddress;

    private RobustMutex(MappedFile memory, long offset) {
        this.memory = Objects.requireNonNull(memory, "memory");
        NativeAccess.requireShared(memory);
        if (offset < 0 || offset % 8 != 0 || offset > memory.length() - BYTES) {
            throw new IllegalArgumentException("a robust mutex needs " + BYTES + " bytes at an 8-byte aligned offset; offset "
                    + offset + " of a " + memory.length() + "-byte mapping does not do");
        }
        this.offset = offset;
        this.description = "robust mutex at offset " + offset + " of " + memory.file();
    }

    /**
     * Initialises a new mutex at {@code offset} of {@code memory}, unlocked. Call it once, in one process, before
     * others {@link #attach}; initialising a mutex that someone holds is undefined behaviour in C.
     */
    public static RobustMutex initialize(MappedFile memory, long offset) throws IOException {
        RobustMutex mutex = new RobustMutex(memory, offset);
        ShmLibC libc = binding();
        Pointer attributes = Memory.allocateDirect(Runtime.getRuntime(libc), 64, true);
        check(libc.pthread_mutexattr_init(attributes), "pthread_mutexattr_init", mutex.description);
        try {
            check(libc.pthread_mutexattr_setpshared(attributes, PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared",
                    mutex.description);
            check(libc.pthread_mutexattr_setrobust(attributes, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust",
                    mutex.description);
            long address = mutex.lease();
            try {
                check(libc.pthread_mutex_init(address, attributes), "pthread_mutex_init", mutex.description);
            } finally {
                mutex.release();
            }
        } finally {
            libc.pthread_mutexattr_destroy(attributes);
        }
        return mutex;
    }

    /** The mutex another process initialised at {@code offset} of {@code memory}. */
    public static RobustMutex attach(MappedFile memory, long offset) {
        return new RobustMutex(memory, offset);
    }

    /**
     * Locks, waiting as long as it takes.
     *
     * @return {@link LockResult#ACQUIRED}, or {@link LockResult#OWNER_DIED} if the previous owner died holding it —
     *         the lock is held either way
     * @throws MutexNotRecoverableException if an owner died and the next one unlocked without repairing
     */
    public LockResult lock() throws IOException {
        requirePlatformThread();
        long address = lease();
        return held(binding().pthread_mutex_lock(address), "pthread_mutex_lock", address);
    }

    /**
     * Locks if the mutex becomes free within {@code timeout} ({@link Duration#ZERO}: only if it is free now).
     *
     * @return {@link LockResult#TIMED_OUT} if the deadline passed first, else as {@link #lock()}
     */
    public LockResult tryLock(Duration timeout) throws IOException {
        requirePlatformThread();
        Deadline deadline = Deadline.after(timeout);
        RealtimeTimespec timespec = timeout.isZero() ? null : new RealtimeTimespec();
        long address = lease();
        if (timespec == null) {
            int result = binding().pthread_mutex_trylock(address);
            return held(result == Errors.EBUSY ? Errors.ETIMEDOUT : result, "pthread_mutex_trylock", address);
        }
        while (true) {
            int result = binding().pthread_mutex_timedlock(address, timespec.fromNow(deadline.remainingNanos()));
            if (!RealtimeTimespec.endedEarly(result, deadline.nanoTime())) {
                return held(result, "pthread_mutex_timedlock", address);
            }
        }
    }

    /**
     * Unlocks; only the thread that locked may. Works after the mapping was closed, for the thread that still holds
     * the lock (through this object): a held lock keeps its memory mapped.
     */
    public void unlock() throws IOException {
        requirePlatformThread();
        int result;
        if (holder == Thread.currentThread()) {
            long address = heldAddress;
            holder = null; // before the unlock: another thread may lock right after it
            result = binding().pthread_mutex_unlock(address);
            if (result == 0) {
                release();
                return;
            }
            holder = Thread.currentThread();
        } else { // not locked by this thread through this object: the kernel decides (EPERM, most likely)
            long address = lease();
            try {
                result = binding().pthread_mutex_unlock(address);
            } finally {
                release();
            }
        }
        if (result != 0) {
            throw Errors.of("pthread_mutex_unlock", description, result,
                    result == Errors.EPERM ? "this thread does not hold the lock" : null);
        }
    }

    /**
     * Runs {@code action} holding the lock — the Java form of Python's {@code with value.get_lock():}. If the
     * previous owner died holding the lock, {@code repair} runs first (holding it) to put the protected data right,
     * and the mutex is marked consistent before {@code action} runs. The lock is released however either ends; if
     * {@code repair} throws, it is released unrepaired, which makes the mutex unusable for everyone
     * ({@link MutexNotRecoverableException}) — the data could not be trusted — and the exception propagates.
     */
    public <T> T withLock(Callable<T> action, Runnable repair) throws Exception {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repair, "repair");
        LockResult result = lock();
        try {
            if (result == LockResult.OWNER_DIED) {
                repair.run();
                markConsistent();
            }
            return action.call();
        } finally {
            unlock();
        }
    }

    /** After {@link LockResult#OWNER_DIED}, declares the protected data repaired, so the mutex stays usable. */
    public void markConsistent() throws IOException {
        int result;
        if (holder == Thread.currentThread()) {
            result = binding().pthread_mutex_consistent(heldAddress);
        } else {
            long address = lease();
            try {
                result = binding().pthread_mutex_consistent(address);
            } finally {
                release();
            }
        }
        if (result != 0) {
            throw Errors.of("pthread_mutex_consistent", description, result,
                    result == Errors.EINVAL ? "only after OWNER_DIED, by the thread that holds the lock" : null);
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

    /** The mutex's address, with the mapping held until {@link #release()}. */
    private long lease() {
        return NativeAccess.acquire(memory, offset, BYTES);
    }

    private void release() {
        NativeAccess.release(memory);
    }

    /**
     * The outcome of a lock call made under a lease: a held lock keeps the lease until {@link #unlock()}; any other
     * outcome ends it.
     */
    private LockResult held(int result, String call, long address) throws IOException {
        LockResult outcome;
        try {
            outcome = result(result, call);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        if (outcome.held()) {
            heldAddress = address;
            holder = Thread.currentThread();
        } else {
            release();
        }
        return outcome;
    }

    private LockResult result(int result, String call) throws IOException {
        if (result == 0) {
            return LockResult.ACQUIRED;
        }
        if (result == EOWNERDEAD) {
            return LockResult.OWNER_DIED;
        }
        if (result == Errors.ETIMEDOUT) {
            return LockResult.TIMED_OUT;
        }
        if (result == ENOTRECOVERABLE) {
            throw new MutexNotRecoverableException(call + "(" + description + ") failed: ENOTRECOVERABLE (State not "
                    + "recoverable); an owner died and the lock was released without markConsistent(): it can never be "
                    + "locked again; initialise a new mutex");
        }
        throw Errors.of(call, description, result);
    }

    private static void check(int result, String call, String description) throws IOException {
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
