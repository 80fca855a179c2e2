package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.linux.LinuxConstants.F_GETFL;
import static io.github.ipcatlas.core.linux.LinuxConstants.F_SETFL;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLIN;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLNVAL;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLOUT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;
import io.github.ipcatlas.core.linux.WriteBackOff;

/**
 * A byte channel over a raw file descriptor that this object owns: a pipe end, a FIFO, or any other descriptor
 * the JDK cannot open for us. Reads and writes go straight to {@code read(2)}/{@code write(2)}; the timed
 * variants wait with {@code poll(2)} against a deadline measured on the monotonic clock.
 *
 * <p><b>Results, not errors.</b> As with a non-blocking {@code SocketChannel}, a timed read returns {@code 0} when
 * nothing arrived before the deadline and {@code -1} at end of stream; a timed write returns how many bytes went
 * out. A failed call throws an {@link IOException} naming the call, this channel's description and the errno
 * ({@code write(pipe /tmp/jobs) failed: EPIPE (Broken pipe)}).
 *
 * <p><b>No garbage.</b> A direct buffer is handed to the kernel by address. A heap buffer is staged through one
 * direct scratch buffer per channel, allocated on first use, so steady-state reads and writes allocate nothing.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use; callers that need whole-message ordering coordinate
 * themselves. {@link #close()} is idempotent. Closing while another thread is blocked in an untimed read or
 * write does not wake that thread (Linux keeps the blocked call on the open file): the descriptor number is
 * released only when the last operation in progress returns, so it can never be reused under a running call.
 * Use the timed variants when another thread may need to stop a reader.
 */
public class FdChannel implements ByteChannel {
    private static final int SCRATCH_BYTES = 64 * 1024;
    /** Largest write that a pipe performs atomically, and that never blocks once poll reports POLLOUT. */
    private static final int PIPE_BUF = 4096;

    private final String description;
    private final LibC libc = Native.libc();
    // One lock, poll slot and staging buffer per direction: reads are serialised among themselves, and so are
    // writes, but a reader and a writer (of an O_RDWR FIFO, say) never wait for each other.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PollFd readPoll = new PollFd(Native.runtime());
    private final PollFd writePoll = new PollFd(Native.runtime());
    private final DirectAddress readAddress = new DirectAddress();
    private final DirectAddress writeAddress = new DirectAddress();
    private ByteBuffer readScratch;
    private ByteBuffer writeScratch;
    private final OwnedDescriptor descriptor;
    private final int fd;
    private volatile boolean nonBlocking;

    /**
     * Takes ownership of {@code fd}: closing this channel closes it.
     *
     * @param description what the descriptor is, for error messages (a path, {@code pipe read end}, …)
     */
    public FdChannel(int fd, String description) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " is negative");
        }
        this.fd = fd;
        this.description = Objects.requireNonNull(description, "description");
        int flags = libc.fcntl(fd, F_GETFL, 0);
        if (flags < 0) {
            throw Errors.of("fcntl(F_GETFL)", description + " fd " + fd, Native.errno());
        }
        this.nonBlocking = (flags & O_NONBLOCK) != 0;
        this.descriptor = new OwnedDescriptor(fd);
    }

    /**
     * The descriptor number while open, for messages and for code that alone may close the channel. To hand it to a
     * system call or another process while another thread might close the channel, use {@link #lease()}.
     */
    public int fd() throws ClosedChannelException {
        return descriptor.fd();
    }

    /**
     * Leases the descriptor: until the lease is closed, its number names this channel's file even if another thread
     * closes the channel meanwhile (the number is then closed when the lease ends).
     *
     * @throws ClosedChannelException if the channel is closed
     */
    public DescriptorLease lease() throws ClosedChannelException {
        return descriptor.lease();
    }

    /** What this channel is, as error messages name it. */
    public String description() {
        return description;
    }

    /**
     * Sets or clears {@code O_NONBLOCK} on the open file description. Note that the flag belongs to the open file,
     * not to this descriptor: every process sharing the file (a child that inherited it, say) sees the change.
     */
    public void setNonBlocking(boolean value) throws IOException {
        int current = begin();
        try {
            int flags = libc.fcntl(current, F_GETFL, 0);
            if (flags < 0) {
                throw Errors.of("fcntl(F_GETFL)", description, Native.errno());
            }
            int wanted = value ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
            if (wanted != flags && libc.fcntl(current, F_SETFL, wanted) < 0) {
                throw Errors.of("fcntl(F_SETFL)", description, Native.errno());
            }
            nonBlocking = value;
        } finally {
            end();
        }
    }

    /** Whether {@code O_NONBLOCK} is set. */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Reads up to {@code dst.remaining()} bytes, waiting as long as it takes for at least one.
     *
     * @return the number of bytes read, or {@code -1} at end of stream (every writer closed)
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int current = begin();
        readLock.lock();
        try {
            while (true) {
                int n = readOnce(current, dst);
                if (n != -2) {
                    return n;
                }
                awaitReady(current, readPoll, POLLIN, -1);
            }
        } finally {
            readLock.unlock();
            end();
        }
    }

    /**
     * Reads up to {@code dst.remaining()} bytes, waiting at most {@code timeout} for the first.
     *
     * @return bytes read, {@code 0} if nothing arrived in time, {@code -1} at end of stream
     */
    public int read(ByteBuffer dst, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        int current = begin();
        readLock.lock();
        try {
            while (true) {
                if (!awaitReady(current, readPoll, POLLIN, deadline.remainingMillis())) {
                    return 0;
                }
                int n = readOnce(current, dst);
                if (n != -2) {
                    return n;
                }
            }
        } finally {
            readLock.unlock();
            end();
        }
    }

    /**
     * Writes all of {@code src}, waiting for space in the kernel buffer as often as needed.
     *
     * @return the number of bytes written, always {@code src.remaining()} at the call
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int current = begin();
        writeLock.lock();
        try {
            int total = 0;
            long backOff = 0;
            boolean polled = false;
            while (src.hasRemaining()) {
                int n = writeOnce(current, src, src.remaining());
                if (n < 0) {
                    if (polled) { // poll said ready, yet the write would block: wait without spinning
                        backOff = WriteBackOff.pause(backOff, Long.MAX_VALUE);
                    }
                    awaitReady(current, writePoll, POLLOUT, -1);
                    polled = true;
                } else {
                    total += n;
                    backOff = 0;
                    polled = false;
                }
            }
            return total;
        } finally {
            writeLock.unlock();
            end();
        }
    }

    /**
     * Writes as much of {@code src} as the reader makes room for before {@code timeout} passes.
     *
     * @return the number of bytes written, possibly 0
     */
    public int write(ByteBuffer src, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        int current = begin();
        writeLock.lock();
        try {
            int total = 0;
            long backOff = 0;
            while (src.hasRemaining()) {
                if (!awaitReady(current, writePoll, POLLOUT, deadline.remainingMillis())) {
                    break;
                }
                // POLLOUT on a blocking descriptor promises room for PIPE_BUF bytes, not more: larger writes
                // could block past the deadline.
                int chunk = nonBlocking ? src.remaining() : Math.min(src.remaining(), PIPE_BUF);
                int n = writeOnce(current, src, chunk);
                if (n > 0) {
                    total += n;
                    backOff = 0;
                } else if (n < 0) { // ready, yet the write would block: never past the deadline, never spinning
                    if (deadline.expired()) {
                        break;
                    }
                    backOff = WriteBackOff.pause(backOff, deadline.remainingNanos());
                }
            }
            return total;
        } finally {
            writeLock.unlock();
            end();
        }
    }

    /**
     * Waits until a read would not block (data, end of stream or an error is pending).
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitReadable(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        int current = begin();
        readLock.lock();
        try {
            return awaitReady(current, readPoll, POLLIN, deadline.remainingMillis());
        } finally {
            readLock.unlock();
            end();
        }
    }

    /** An {@link InputStream} view; closing it closes this channel. */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /** An {@link OutputStream} view; closing it closes this channel. */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    public boolean isOpen() {
        return descriptor.isOpen();
    }

    /** Closes the descriptor (once no call is using it). Idempotent. */
    @Override
    public void close() throws IOException {
        descriptor.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + ", fd " + fd + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- internals -------------------------------------------------------------------------------------------

    /** Marks a call in progress and returns the descriptor it may use; see {@link OwnedDescriptor#acquire()}. */
    protected final int begin() throws ClosedChannelException {
        return descriptor.acquire();
    }

    /** Ends a call begun with {@link #begin()}. */
    protected final void end() {
        descriptor.release();
    }

    /** One read(2): bytes read, -1 at EOF, -2 when it would block. */
    private int readOnce(int current, ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!dst.isDirect() && readScratch == null) {
            readScratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
        }
        ByteBuffer target = dst.isDirect() ? dst : readScratch.clear().limit(Math.min(dst.remaining(), SCRATCH_BYTES));
        while (true) {
            long n = libc.read(current, readAddress.of(target) + target.position(), target.remaining());
            Reference.reachabilityFence(target); // its memory must outlive the call
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
            int errno = Native.errno();
            if (errno == Errors.EAGAIN) {
                return -2;
            }
            if (errno != Errors.EINTR) {
                throw Errors.of("read", description, errno);
            }
        }
    }

    /** One write(2) of at most {@code max} bytes: bytes written, or -1 when it would block. */
    private int writeOnce(int current, ByteBuffer src, int max) throws IOException {
        ByteBuffer source;
        if (src.isDirect()) {
            source = src;
        } else {
            if (writeScratch == null) {
                writeScratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
            }
            int length = Math.min(max, SCRATCH_BYTES);
            writeScratch.clear();
            if (src.hasArray()) {
                writeScratch.put(src.array(), src.arrayOffset() + src.position(), length);
            } else {
                writeScratch.put(src.duplicate().limit(src.position() + length));
            }
            source = writeScratch.flip();
        }
        int length = Math.min(max, source.remaining());
        while (true) {
            long n = libc.write(current, writeAddress.of(source) + source.position(), length);
            Reference.reachabilityFence(source);
            if (n >= 0) {
                src.position(src.position() + (int) n);
                return (int) n;
            }
            int errno = Native.errno();
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

    /** poll(2) for {@code events}; false on timeout. A {@code timeoutMillis} of -1 waits forever. */
    private boolean awaitReady(int current, PollFd pollFd, short events, int timeoutMillis) throws IOException {
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
