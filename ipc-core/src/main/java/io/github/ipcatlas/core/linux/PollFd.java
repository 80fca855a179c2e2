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
}
