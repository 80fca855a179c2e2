package io.github.ipcatlas.core.linux;

import java.io.IOException;

import io.github.ipcatlas.core.Errors;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One native {@code struct timespec} holding an absolute {@code CLOCK_REALTIME} time, as {@code mq_timedsend},
 * {@code sem_timedwait} and {@code pthread_mutex_timedlock} want their deadlines. Callers measure what is left on the
 * monotonic clock and set it here just before each call, so a jump of the wall clock only costs a retry. Its layout
 * is in {@link KernelStructs}.
 *
 * <p>Allocated once and reused; not thread-safe: one per thread (or per side of a channel).
 */
public final class RealtimeTimespec {
    private static final int CLOCK_REALTIME = 0;
    private static final int SECONDS = KernelStructs.TIMESPEC_SEC;
    private static final int NANOS = KernelStructs.TIMESPEC_NSEC;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Pointer memory = Memory.allocateDirect(Native.runtime(), KernelStructs.TIMESPEC_BYTES, true);
    private final long address = memory.address();

    /**
     * Whether a timed call ended with {@code ETIMEDOUT} before the monotonic {@code System.nanoTime()} deadline
     * {@code deadlineNanos} passed: the wall clock was set forward meanwhile, and the call must be made again for
     * what is left. The one place every timed wait on a {@code CLOCK_REALTIME} time decides that.
     */
    public static boolean endedEarly(int errno, long deadlineNanos) {
        return errno == Errors.ETIMEDOUT && deadlineNanos - System.nanoTime() > 0;
    }

    /**
     * Sets the time {@code fromNowNanos} from now (0 or less: the epoch, a deadline already past, for a call that
     * must not wait) and returns the structure's address.
     */
    public long fromNow(long fromNowNanos) throws IOException {
        if (fromNowNanos <= 0) {
            memory.putLong(SECONDS, 0);
            memory.putLong(NANOS, 0);
            return address;
        }
        if (Native.libc().clock_gettime(CLOCK_REALTIME, address) != 0) {
            throw Errors.of("clock_gettime", "CLOCK_REALTIME", Native.errno());
        }
        long nanos = memory.getLong(NANOS) + fromNowNanos % NANOS_PER_SECOND;
        memory.putLong(SECONDS, memory.getLong(SECONDS) + fromNowNanos / NANOS_PER_SECOND + nanos / NANOS_PER_SECOND);
        memory.putLong(NANOS, nanos % NANOS_PER_SECOND);
        return address;
    }
}
