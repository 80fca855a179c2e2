package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.linux.LinuxConstants.F_GETFL;
import static io.github.ipcatlas.core.linux.LinuxConstants.F_SETFL;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLIN;
import static io.github.ipcatlas.core.linux.LinuxConstants.POLLOUT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.Native;
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
 * <p><b>No garbage.</b> A direct buffer is handed to the kernel in place, through {@link BufferIo} (on JDK 22+ an
 * FFM downcall, which keeps the buffer's arena open for the call and refuses a buffer whose arena was closed). A heap
 * buffer is staged through one direct scratch buffer per direction, allocated on first use, so steady-state reads
 * and writes allocate nothing. Reading into a read-only buffer is an {@link IllegalArgumentException}.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use; callers that need whole-message ordering coordinate
 * themselves. {@link #close()} is idempotent. Closing while another thread is blocked in an untimed read or
 * write does not wake that thread (Linux keeps the blocked call on the open file): the descriptor number is
 * released only when the last operation in progress returns, so it can never be reused under a running call.
 * Use the timed variants when another thread may need to stop a reader.
 */
public class FdChannel implements ByteChannel {
    /** Largest write that a pipe performs atomically, and that never blocks once poll reports POLLOUT. */
    private static final int PIPE_BUF = 4096;

    private final String description;
    private final LibC libc = Native.libc();
    // One lock and one direction (poll slot, binding, staging buffer) each way: reads are serialised among
    // themselves, and so are writes, but a reader and a writer (of an O_RDWR FIFO, say) never wait for each other.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FdDirection reading;
    private final FdDirection writing;
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
        this.reading = new FdDirection(description, POLLIN);
        this.writing = new FdDirection(description, POLLOUT);
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
                int n = reading.readOnce(current, dst);
                if (n != -2) {
                    return n;
                }
                reading.awaitReady(current, -1);
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
                if (!reading.awaitReady(current, deadline.remainingMillis())) {
                    return 0;
                }
                int n = reading.readOnce(current, dst);
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
                int n = writing.writeOnce(current, src, src.remaining());
                if (n < 0) {
                    if (polled) { // poll said ready, yet the write would block: wait without spinning
                        backOff = WriteBackOff.pause(backOff, Long.MAX_VALUE);
                    }
                    writing.awaitReady(current, -1);
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
                if (!writing.awaitReady(current, deadline.remainingMillis())) {
                    break;
                }
                // POLLOUT on a blocking descriptor promises room for PIPE_BUF bytes, not more: larger writes
                // could block past the deadline.
                int chunk = nonBlocking ? src.remaining() : Math.min(src.remaining(), PIPE_BUF);
                int n = writing.writeOnce(current, src, chunk);
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
            return reading.awaitReady(current, deadline.remainingMillis());
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

    /**
     * After {@link #close()}: waits until the descriptor was really closed, every call in flight having returned (a
     * socket's name is free only then). Calls blocked in the kernel return only when something wakes them.
     *
     * @return false if calls were still in flight at the deadline
     */
    public boolean awaitClosed(Duration timeout) {
        return descriptor.awaitFreed(timeout);
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
}
