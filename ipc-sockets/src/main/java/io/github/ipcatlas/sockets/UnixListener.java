package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;

/**
 * A listening Unix stream socket made through jnr, for what the JDK's cannot do: a name in the abstract namespace
 * ({@code @name}), and accepted connections as {@link FdChannel}s, which {@link DescriptorPassing} and
 * {@link PeerCredentials} work with. A path socket is created mode 0600 (the socket's mode, set before {@code bind}, so no other
 * user can ever connect) and removed again by {@link #close()} if it is still ours; an existing file at the
 * path is refused, never replaced. Thread-safe: several threads may accept at once, each with its own deadline; a
 * {@link #close()} ends their accepts ({@code ClosedChannelException}) within 200 ms, and the name or file goes
 * when they have returned. An abstract name has no permissions: any process of the network namespace can connect
 * (check {@link PeerCredentials} if that matters), and any can take a name first.
 */
public final class UnixListener implements AutoCloseable {
    private static final int BACKLOG = 64;
    /** A connection reset before it was accepted: try the next. */
    private static final int ECONNABORTED = 103;
    /** The longest single poll of an accept, so that a close is noticed soon. */

    private final UnixAddress address;
    private final FdChannel socket;
    /** The socket file's identity after bind, so close removes only our own (path addresses); null otherwise. */
    private final Object fileKey;

    private UnixListener(UnixAddress address, FdChannel socket, Object fileKey) {
        this.address = address;
        this.socket = socket;
        this.fileKey = fileKey;
    }

    /**
     * Binds and listens at {@code address}.
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code EADDRINUSE} if the path exists or the abstract name is
     *     taken
     */
    public static UnixListener bind(UnixAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        SocketLibC libc = SocketNative.libc();
        int fd = libc.socket(SocketLibC.AF_UNIX, SocketLibC.SOCK_STREAM | SocketLibC.SOCK_CLOEXEC
                | SocketLibC.SOCK_NONBLOCK, 0);
        if (fd < 0) {
            throw Errors.of("socket", "AF_UNIX stream for " + address, Native.errno());
        }
        FdChannel socket = new FdChannel(fd, "Unix listener " + address);
        Object key = null; // the socket file's identity once known: only then is it ours to remove
        try {
            key = UnixBinding.bind(fd, address);
            if (libc.listen(fd, BACKLOG) != 0) {
                throw Errors.of("listen", address.toString(), Native.errno());
            }
            return new UnixListener(address, socket, key);
        } catch (IOException | RuntimeException e) {
            socket.close();
            UnixBinding.removeIfOurs(address, key);
            throw e;
        }
    }

    /** Where it listens. */
    public UnixAddress address() {
        return address;
    }

    /**
     * The next connection, waiting at most {@code timeout}.
     *
     * @throws IpcTimeoutException if none came before the deadline
     */
    public FdChannel accept(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            try (DescriptorLease lease = socket.lease()) { // non-blocking: a connection another thread took is EAGAIN
                int fd = SocketNative.libc().accept4(lease.fd(), null, null, SocketLibC.SOCK_CLOEXEC);
                if (fd >= 0) {
                    return new FdChannel(fd, "Unix connection on " + address);
                }
                int errno = Native.errno();
                if (!socket.isOpen()) {
                    throw new java.nio.channels.AsynchronousCloseException();
                }
                if (errno != Errors.EAGAIN && errno != Errors.EINTR && errno != ECONNABORTED) {
                    throw Errors.of("accept4", address.toString(), errno);
                }
                if (deadline.expired()) {
                    throw new IpcTimeoutException("waiting for a connection on " + address, timeout);
                }
                // this thread's own poll, in slices: waits in other threads and a close are never waited out
                PollFd.pollThisThread(lease.fd(), LinuxConstants.POLLIN,
                        Math.min(PollFd.SLICE_MILLIS, deadline.remainingMillis()));
            }
        }
    }

    /** Stops listening and removes the socket file if it is still the one this listener made. */
    @Override
    public void close() throws IOException {
        if (!socket.isOpen()) {
            return;
        }
        try (DescriptorLease lease = socket.lease()) {
            SocketNative.libc().shutdown(lease.fd(), SocketLibC.SHUT_RDWR); // wakes accepts polling it now
        } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
            return;
        }
        socket.close();
        UnixBinding.removeIfOurs(address, fileKey);
    }

    @Override
    public String toString() {
        return "UnixListener[" + address + (socket.isOpen() ? "" : ", closed") + "]";
    }
}
