package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;

/** Connecting to a Unix stream socket by path or abstract name ({@link UnixAddress}), through jnr. */
public final class UnixStreams {
    private UnixStreams() {
    }

    /**
     * Connects to {@code address}. A Unix connect completes at once or, when the listener's backlog is full, fails
     * with {@code EAGAIN}; then it is retried until {@code timeout}.
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code ECONNREFUSED} if nothing listens there, {@code ENOENT}
     *     if no socket file exists at the path
     * @throws IpcTimeoutException if the backlog stayed full until the deadline
     */
    public static FdChannel connect(UnixAddress address, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Deadline deadline = Deadline.after(timeout);
        SocketLibC libc = SocketNative.libc();
        int fd = libc.socket(SocketLibC.AF_UNIX, SocketLibC.SOCK_STREAM | SocketLibC.SOCK_CLOEXEC
                | SocketLibC.SOCK_NONBLOCK, 0);
        if (fd < 0) {
            throw Errors.of("socket", "AF_UNIX stream to " + address, Native.errno());
        }
        FdChannel channel = new FdChannel(fd, "Unix connection to " + address);
        try {
            jnr.ffi.Pointer socketAddress = address.socketAddress();
            while (libc.connect(fd, socketAddress, address.socketLength()) != 0) {
                int errno = Native.errno();
                if (errno != Errors.EAGAIN && errno != Errors.EINTR) {
                    throw Errors.of("connect", address.toString(), errno, errno == SocketLibC.ECONNREFUSED
                            ? (address.isAbstract() ? "nothing listens there"
                            : "nothing listens there, or the file at this path is no socket")
                            : errno == Errors.ENOENT ? "no socket at this path" : null);
                }
                if (deadline.expired()) {
                    throw new IpcTimeoutException("connecting to " + address + " (its backlog is full)", timeout);
                }
                LockSupport.parkNanos(1_000_000);
            }
            channel.setNonBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Shuts down the sending side of a connection ({@code shutdown(fd, SHUT_WR)}): the peer reads end of stream, and
     * this side can still read its answer.
     */
    public static void shutdownOutput(FdChannel connection) throws IOException {
        Objects.requireNonNull(connection, "connection");
        try (DescriptorLease lease = connection.lease()) {
            if (SocketNative.libc().shutdown(lease.fd(), SocketLibC.SHUT_WR) != 0) {
                throw Errors.of("shutdown(SHUT_WR)", connection.description(), Native.errno());
            }
        }
    }
}
