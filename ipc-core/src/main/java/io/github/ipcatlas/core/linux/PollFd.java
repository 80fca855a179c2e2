package io.github.ipcatlas.core.linux;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * One {@code struct pollfd} in native memory, allocated once and reused for every poll so that waiting with a
 * deadline allocates nothing.
 *
 * <pre>
 * offset 0  int   fd
 * offset 4  short events
 * offset 6  short revents
 * </pre>
 */
public final class PollFd {
    /**
     * The longest single poll of a wait in slices ({@link #pollThisThread}), so that a close of the descriptor in
     * another thread is noticed soon.
     */
    public static final int SLICE_MILLIS = 200;
    private static final ThreadLocal<PollFd> PER_THREAD = ThreadLocal.withInitial(() -> new PollFd(Native.runtime()));
    private static final int FD = 0;
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;
    private static final int SIZE = 8;

    private final Pointer memory;

    public PollFd(Runtime runtime) {
        this.memory = Memory.allocateDirect(runtime, SIZE, true);
    }

    public Pointer pointer() {
        return memory;
    }

    public void set(int fd, short events) {
        memory.putInt(FD, fd);
        memory.putShort(EVENTS, events);
        memory.putShort(REVENTS, (short) 0);
    }

    public short revents() {
        return memory.getShort(REVENTS);
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
