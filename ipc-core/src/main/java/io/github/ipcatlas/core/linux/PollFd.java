package io.github.ipcatlas.core.linux;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * An array of {@code struct pollfd} in native memory, allocated once and reused for every poll so that waiting with a
 * deadline allocates nothing. Most callers watch one descriptor and use the single-entry methods; entry {@code i}
 * starts at {@code i * }{@link #BYTES}.
 *
 * <pre>
 * offset 0  int   fd
 * offset 4  short events
 * offset 6  short revents
 * size   8
 * </pre>
 */
public final class PollFd {
    /**
     * The longest single poll of a wait in slices ({@link #pollThisThread}), so that a close of the descriptor in
     * another thread is noticed soon.
     */
    public static final int SLICE_MILLIS = 200;
    /** Size of one {@code struct pollfd}. */
    public static final int BYTES = 8;
    private static final ThreadLocal<PollFd> PER_THREAD = ThreadLocal.withInitial(() -> new PollFd(Native.runtime()));
    private static final int FD = 0;
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;

    private final Pointer memory;
    private final int count;

    /** One zeroed {@code pollfd}. */
    public PollFd(Runtime runtime) {
        this(runtime, 1);
    }

    /**
     * {@code count} zeroed {@code pollfd} entries, one array to hand to {@code poll(2)} with {@code nfds = count}.
     *
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public PollFd(Runtime runtime, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " < 1");
        }
        this.memory = Memory.allocateDirect(runtime, (long) BYTES * count, true);
        this.count = count;
    }

    /** The start of the array, for {@code poll(2)}. */
    public Pointer pointer() {
        return memory;
    }

    /** The number of entries. */
    public int count() {
        return count;
    }

    /** Sets entry 0 to watch {@code fd} for {@code events} and clears its {@code revents}. */
    public void set(int fd, short events) {
        set(0, fd, events);
    }

    /** Sets entry {@code i} to watch {@code fd} for {@code events} and clears its {@code revents}. */
    public void set(int i, int fd, short events) {
        long base = offset(i);
        memory.putInt(base + FD, fd);
        memory.putShort(base + EVENTS, events);
        memory.putShort(base + REVENTS, (short) 0);
    }

    /** The {@code revents} of entry 0 after a poll. */
    public short revents() {
        return revents(0);
    }

    /** The {@code revents} of entry {@code i} after a poll. */
    public short revents(int i) {
        return memory.getShort(offset(i) + REVENTS);
    }

    private long offset(int i) {
        // Bounds checked here: a stray index would write outside the allocation, not throw.
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("pollfd " + i + " of " + count);
        }
        return (long) i * BYTES;
    }

    /**
     * One {@code poll(2)} of {@code fd} (held by the caller's lease) for {@code events}, for at most
     * {@code timeoutMillis}, with this thread's own {@code pollfd}: no lock, so waits in several threads never queue
     * behind one another. Callers wait in slices of at most {@link #SLICE_MILLIS}.
     *
     * @return the {@code revents}, 0 on timeout or {@code EINTR}, or -1 with errno set when {@code poll} failed
     */
    public static int pollThisThread(int fd, short events, int timeoutMillis) {
        PollFd poll = PER_THREAD.get();
        poll.set(fd, events);
        int ready = Native.libc().poll(poll.pointer(), 1, timeoutMillis);
        if (ready < 0) {
            return Native.errno() == io.github.ipcatlas.core.Errors.EINTR ? 0 : -1;
        }
        return ready == 0 ? 0 : poll.revents();
    }
}
