package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.linux.LinuxConstants.POLLNVAL;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;

/**
 * One direction of an {@link FdChannel}, reading or writing: its {@code poll} slot, its {@link BufferIo} and the
 * direct buffer that stages heap buffers, allocated on first use. The channel serialises each direction with a lock;
 * this class is not thread-safe.
 */
final class FdDirection {
    private static final int SCRATCH_BYTES = 64 * 1024;

    private final String description;
    private final short events;
    private final LibC libc = Native.libc();
    private final PollFd pollFd = new PollFd(Native.runtime());
    private final BufferIo io = BufferIo.create();
    private ByteBuffer scratch;

    /** A direction of the channel called {@code description} in errors, waiting for {@code events} (POLLIN, POLLOUT). */
    FdDirection(String description, short events) {
        this.description = description;
        this.events = events;
    }

    /** One read(2): bytes read, -1 at EOF, -2 when it would block. */
    int readOnce(int current, ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!dst.isDirect() && scratch == null) {
            scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
        }
        ByteBuffer target = dst.isDirect() ? dst : scratch.clear().limit(Math.min(dst.remaining(), SCRATCH_BYTES));
        while (true) {
            long n = io.read(current, target, target.remaining());
            if (n > 0) {
                if (target == dst) {
                    dst.position(dst.position() + (int) n);
                } else {
                    dst.put(target.limit((int) n));
                }
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = io.errno();
            if (errno == Errors.EAGAIN) {
                return -2;
            }
            if (errno != Errors.EINTR) {
                throw Errors.of("read", description, errno);
            }
        }
    }

    /** One write(2) of at most {@code max} bytes: bytes written, or -1 when it would block. */
    int writeOnce(int current, ByteBuffer src, int max) throws IOException {
        ByteBuffer source;
        if (src.isDirect()) {
            source = src;
        } else {
            if (scratch == null) {
                scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
            }
            int length = Math.min(max, SCRATCH_BYTES);
            scratch.clear();
            if (src.hasArray()) {
                scratch.put(src.array(), src.arrayOffset() + src.position(), length);
            } else {
                scratch.put(src.duplicate().limit(src.position() + length));
            }
            source = scratch.flip();
        }
        int length = Math.min(max, source.remaining());
        while (true) {
            long n = io.write(current, source, length);
            if (n >= 0) {
                src.position(src.position() + (int) n);
                return (int) n;
            }
            int errno = io.errno();
            if (errno == Errors.EAGAIN) {
                return -1;
            }
            if (errno == Errors.EPIPE) {
                throw Errors.of("write", description, errno, "no process has the reading end open any more");
            }
            if (errno != Errors.EINTR) {
                throw Errors.of("write", description, errno);
            }
        }
    }

    /** poll(2) for this direction's event; false on timeout. A {@code timeoutMillis} of -1 waits forever. */
    boolean awaitReady(int current, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        int waitMillis = timeoutMillis;
        while (true) {
            pollFd.set(current, events);
            int ready = libc.poll(pollFd.pointer(), 1, waitMillis);
            if (ready > 0) {
                if ((pollFd.revents() & POLLNVAL) != 0) {
                    throw Errors.of("poll", description, Errors.EBADF);
                }
                return true; // POLLHUP and POLLERR too: the next read or write reports EOF or the error
            }
            if (ready == 0) {
                return false;
            }
            int errno = Native.errno();
            if (errno != Errors.EINTR) {
                throw Errors.of("poll", description, errno);
            }
            if (timeoutMillis >= 0) { // EINTR: poll again for what is left
                waitMillis = (int) Math.max(0, timeoutMillis - (System.nanoTime() - start) / 1_000_000);
            }
        }
    }
}
