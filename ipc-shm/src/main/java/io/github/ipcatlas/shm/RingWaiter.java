package io.github.ipcatlas.shm;

import static io.github.ipcatlas.core.linux.KernelStructs.TIMESPEC_BYTES;
import static io.github.ipcatlas.core.linux.KernelStructs.TIMESPEC_NSEC;
import static io.github.ipcatlas.core.linux.KernelStructs.TIMESPEC_SEC;

import java.io.IOException;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.Syscalls;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.NativeAccess;
import io.github.ipcatlas.shm.internal.FutexLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * How one side of a ring waits for the other, by {@link ShmRing.WaitStrategy}, and how it wakes the other. One per
 * side; not thread-safe.
 *
 * <p>Sleeping is a {@code futex(2)} wait on a 32-bit signal word in the segment: the sleeper reads the word, announces
 * itself (its sleeping flag, a volatile store), re-checks its condition and only then sleeps while the word is
 * unchanged. The waker publishes (a release store), fences, and makes the wake call only if the flag is set — after
 * bumping the word, so a wake that comes before the sleep makes the sleep return at once. Each side's store precedes
 * its load of the other's field with a full fence between, so at least one of them sees the other: no wake-up is lost,
 * and a side that nobody sleeps on never enters the kernel.
 */
final class RingWaiter {
    /** Spins before yielding, and yields before sleeping (YIELD and BLOCK). */
    private static final int SPINS = 256;
    private static final int YIELDS = 64;
    /** Longest single futex sleep: a bound, so a wake-up lost to a peer's death costs no more. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;
    private static final long FOREVER = Long.MAX_VALUE;

    /** What the waiting side waits for. */
    interface Condition {
        boolean holds() throws IOException;
    }

    private final RingBytes bytes;
    private final MappedFile memory;
    private final ShmRing.WaitStrategy strategy;
    private final int sleepingFlag;
    private final int signalWord;
    private final int maySleep;
    private final int peerSleepingFlag;
    private final int peerSignalWord;
    private final int peerMaySleep;
    private final Pointer timespec;

    RingWaiter(RingBytes bytes, ShmRing.WaitStrategy strategy, int sleepingFlag, int signalWord, int maySleep,
               int peerSleepingFlag, int peerSignalWord, int peerMaySleep) {
        this.bytes = bytes;
        this.memory = bytes.memory();
        this.strategy = strategy;
        this.sleepingFlag = sleepingFlag;
        this.signalWord = signalWord;
        this.maySleep = maySleep;
        this.peerSleepingFlag = peerSleepingFlag;
        this.peerSignalWord = peerSignalWord;
        this.peerMaySleep = peerMaySleep;
        this.timespec = strategy == ShmRing.WaitStrategy.BLOCK ? Memory.allocateDirect(Native.runtime(), TIMESPEC_BYTES, true) : null;
        if (strategy == ShmRing.WaitStrategy.BLOCK) {
            futex(); // bound now: loading the binding inside the first sleep made that sleep overshoot by ~40 ms
        }
        bytes.setIntVolatile(maySleep, strategy == ShmRing.WaitStrategy.BLOCK ? 1 : 0); // read by the peer's wakePeer
    }

    /** The last timeout {@link #nanos} converted, and what it came to: callers pass the same one every time. */
    private Duration lastTimeout = Duration.ZERO; // not null: a null timeout must reach Deadline.check and fail
    private long lastTimeoutNanos;

    /**
     * {@code timeout} checked ({@link Deadline#check}) and in nanoseconds. A {@code Duration} is immutable, so the
     * last one converted is remembered by identity: the check and conversion cost a spinning round trip ~5%.
     */
    long nanos(Duration timeout) {
        if (timeout != lastTimeout) {
            lastTimeoutNanos = Deadline.check(timeout).toNanos();
            lastTimeout = timeout;
        }
        return lastTimeoutNanos;
    }

    /** Nanoseconds the current wait may take, from {@link #begin}; {@link #FOREVER} for no limit. */
    private long timeoutNanos;
    /** The {@code System.nanoTime()} at which the current wait ends, once {@link #deadlineSet}: fixed at the first clock reading. */
    private long deadline;
    private boolean deadlineSet;

    /**
     * Starts the budget of one operation's waiting: {@code timeoutNanos} in all, across however many {@link #await}s
     * the operation makes (a header that another process zeroes again must not restart the clock). Reads no clock: a
     * wait that ends within its first spins never does, and the deadline counts from the first reading — a few
     * microseconds of spinning after the wait began, nothing against a timeout — where a clock read at the start of
     * every wait cost a spinning round trip a fifth of its time.
     */
    void begin(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        this.deadlineSet = false;
    }

    /**
     * Waits until {@code condition} holds (true) or the budget from {@link #begin} is spent (false). The condition is
     * re-checked after every spin, yield and sleep; the clock, and whether the mapping was closed meanwhile, every 256
     * spins while spinning, after every yield or sleep — a single yield can cost a time slice on a busy machine — so
     * every loop here ends at the deadline, whatever the shared memory says, and soon after a close.
     */
    boolean await(Condition condition) throws IOException {
        if (condition.holds()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        boolean announced = false;
        try {
            for (long spins = 1; ; spins++) { // a long: an int would wrap after 2^31 rounds and spin again
                boolean spinning = strategy == ShmRing.WaitStrategy.SPIN || spins < SPINS;
                if (!spinning || (spins & 0xff) == 0) {
                    bytes.ensureOpen(); // the buffer stays readable after close: ask, now and then
                    if (expired()) {
                        return false;
                    }
                }
                if (spinning) {
                    Thread.onSpinWait();
                } else if (strategy == ShmRing.WaitStrategy.YIELD || spins < SPINS + YIELDS) {
                    Thread.yield();
                } else {
                    announced = true;
                    if (!sleep(condition)) {
                        return condition.holds();
                    }
                }
                if (condition.holds()) {
                    return true;
                }
            }
        } finally {
            if (announced) { // the flag stays up between bounded sleeps, so no publish can slip through a gap
                bytes.setIntRelease(sleepingFlag, 0);
            }
        }
    }

    /** Whether the budget is spent; the first call reads the clock and fixes the deadline. */
    private boolean expired() {
        return timeoutNanos != FOREVER && nanosLeft(System.nanoTime()) <= 0;
    }

    /** Nanoseconds left before the deadline (at most {@link #MAX_SLEEP_NANOS}); 0 or less once it passed. */
    private long sleepNanos() {
        return timeoutNanos == FOREVER ? MAX_SLEEP_NANOS : Math.min(MAX_SLEEP_NANOS, nanosLeft(System.nanoTime()));
    }

    /** Nanoseconds from {@code now} to the deadline, fixing the deadline at the first call of a wait. */
    private long nanosLeft(long now) {
        if (!deadlineSet) {
            deadline = timeoutNanos >= FOREVER - now ? FOREVER : now + timeoutNanos;
            deadlineSet = true;
        }
        return deadline == FOREVER ? FOREVER : deadline - now;
    }

    /** One futex sleep, announced; false once the deadline has passed. */
    private boolean sleep(Condition condition) throws IOException {
        int signal = bytes.getIntVolatile(signalWord);
        bytes.setIntVolatile(maySleep, 1);      // again: another side may have attached and cleared it meanwhile
        bytes.setIntVolatile(sleepingFlag, 1);  // announce, then re-check: the peer reads the flag after publishing
        java.lang.invoke.VarHandle.fullFence();  // the announcement is visible before the condition is read again
        if (condition.holds()) {
            return true;
        }
        long left = sleepNanos();
        if (left <= 0) {
            return false;
        }
        timespec.putLong(TIMESPEC_SEC, left / 1_000_000_000L);
        timespec.putLong(TIMESPEC_NSEC, left % 1_000_000_000L);
        long word = NativeAccess.acquire(memory, signalWord, Integer.BYTES);
        try {
            if (futex().syscall(Syscalls.futex(), word, FutexLibC.FUTEX_WAIT, signal, timespec.address(), 0, 0) != 0) {
                int errno = Native.errno();
                if (errno != Errors.EAGAIN && errno != Errors.ETIMEDOUT && errno != Errors.EINTR) {
                    throw Errors.of("futex(FUTEX_WAIT)", "ring in " + memory.file(), errno);
                }
            }
        } finally {
            NativeAccess.release(memory);
        }
        return true;
    }

    /**
     * After this side published (a release store): wakes the peer if it announced that it sleeps. A peer whose
     * strategy never sleeps said so when it attached, and costs one plain load: no fence, no system call. (A sleeper
     * sets its may-sleep flag again before every sleep, but a publisher may read the old value for an instant; the
     * sleep is bounded, so such a miss costs at most one sleep's length.)
     */
    void wakePeer() throws IOException {
        if (bytes.getInt(peerMaySleep) == 0) {
            return;
        }
        java.lang.invoke.VarHandle.fullFence(); // the publishing store above is visible before the flag is read
        if (bytes.getIntVolatile(peerSleepingFlag) != 0 && bytes.compareAndSetInt(peerSleepingFlag, 1, 0)) {
            bytes.getAndAddInt(peerSignalWord, 1);
            long word = NativeAccess.acquire(memory, peerSignalWord, Integer.BYTES);
            try {
                if (futex().syscall(Syscalls.futex(), word, FutexLibC.FUTEX_WAKE, 1, 0, 0, 0) < 0) {
                    throw Errors.of("futex(FUTEX_WAKE)", "ring in " + memory.file(), Native.errno());
                }
            } finally {
                NativeAccess.release(memory);
            }
        }
    }

    private static FutexLibC futex() {
        return Binding.FUTEX;
    }

    private static final class Binding {
        static final FutexLibC FUTEX = NativeLibrary.load(FutexLibC.class, "c");
    }
}
