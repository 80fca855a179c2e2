package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * A listening stream socket, TCP or Unix domain, bound with the care a server owes its host.
 *
 * <ul>
 *   <li><b>TCP</b>: bound where asked; {@link SocketAddresses#parse} and {@link SocketAddresses#loopback} make
 *       loopback the default. A port in use is reported with the address ({@code EADDRINUSE}).</li>
 *   <li><b>Unix domain</b>: the path length is checked first. A socket file left behind by a server that died is
 *       reclaimed, but only after a non-blocking connect probe is refused ({@code ECONNREFUSED}); a live server's
 *       file (even one whose backlog is full), or a path that is not a socket, is never touched. The new file gets mode 0600, so other users cannot connect (for no
 *       window at all, put it in a {@link #privateDirectory private directory}). On {@link #close()} the file is
 *       removed, and only if it is still the one this server created.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} is idempotent and wakes a thread blocked in {@link #accept()}
 * ({@link java.nio.channels.AsynchronousCloseException}).
 */
public final class ServerEndpoint implements AutoCloseable {
    /** Pending connections the kernel queues before {@code accept}: {@code listen(2)} backlog. */
    public static final int DEFAULT_BACKLOG = 128;

    private final ServerSocketChannel channel;
    private final SocketAddress address;
    private final Path unixPath;
    private final Object unixFileKey;
    /** Not {@code channel.isOpen()}: a selector may close the channel, and the file must still go. */
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ServerEndpoint(ServerSocketChannel channel, SocketAddress address, Path unixPath, Object unixFileKey) {
        this.channel = channel;
        this.address = address;
        this.unixPath = unixPath;
        this.unixFileKey = unixFileKey;
    }

    /**
     * Binds and listens on {@code address}: an {@link InetSocketAddress} (port 0 picks a free port) or a
     * {@link UnixDomainSocketAddress}.
     *
     * @throws BindException naming the address when it is in use (for Unix: a live server listens there)
     * @throws FileAlreadyExistsException when a Unix path exists and is not a socket
     * @throws IllegalArgumentException for an overlong Unix path or an unsupported address type
     */
    public static ServerEndpoint bind(SocketAddress address) throws IOException {
        return bind(address, DEFAULT_BACKLOG);
    }

    /** {@link #bind(SocketAddress)} with a {@code listen(2)} backlog. */
    public static ServerEndpoint bind(SocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        atLeastOne("backlog", backlog);
        if (address instanceof UnixDomainSocketAddress unix) {
            return bindUnix(SocketAddresses.unix(unix.getPath()).getPath(), backlog);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(SocketAddresses.family(address));
        try {
            channel.bind(address, backlog);
            return new ServerEndpoint(channel, channel.getLocalAddress(), null, null);
        } catch (BindException e) {
            channel.close();
            throw withAddress(e, "bind(" + address + ") failed: address in use (EADDRINUSE); "
                    + "another server listens there, or choose port 0");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A new directory only its owner can enter (mode 0700), the safe home for Unix sockets: nobody else can even
     * reach the socket, whatever its mode. The caller removes it when done.
     */
    public static Path privateDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    private static ServerEndpoint bindUnix(Path path, int backlog) throws IOException {
        reclaimIfStale(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (BindException e) {
            channel.close();
            throw withAddress(e, "bind(" + path + ") failed: the path was created by someone else meanwhile");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try {
            // bind(2) made the file with mode 0777 & ~umask; narrow it before anyone has reason to look.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new ServerEndpoint(channel, channel.getLocalAddress(), path, key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** The file-type bits of {@code st_mode}, and the type of a socket ({@code inode(7)}). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    /** The longest a stale-socket probe waits; a Unix connect completes or fails at once, so this is a safety net. */
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(2);

    /** Removes {@code path} if it is a socket nobody listens on; refuses if it is anything else. */
    private static void reclaimIfStale(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException absent) {
            return;
        }
        // "other" is also a FIFO or a device node, which a refused connect would pass off as a stale socket
        int type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        if (!attributes.isOther() || type != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; refusing to replace it");
        }
        String busy = probe(path);
        if (busy == null) {
            Files.deleteIfExists(path); // the file outlived its server (or another reclaimer removed it already)
            return;
        }
        throw new BindException("bind(" + path + ") failed: address in use (EADDRINUSE); a server is listening "
                + "on this socket" + busy);
    }

    /**
     * Connects to the socket at {@code path} to learn whether a server listens there: {@code null} if nobody does
     * ({@code ECONNREFUSED}), otherwise a note for the error message. The connect is non-blocking, because a blocking
     * one waits for as long as a live server's backlog is full; a full backlog ({@code EAGAIN}), a probe that
     * cannot finish in time, or any other error all count as "alive": a file is removed only when it is proved stale.
     * A live server sees the probe as a client that connects and closes without a byte ({@code ipc-atlas socket
     * echo-server} does not count such a connection).
     */
    private static String probe(Path path) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            if (probe.connect(UnixDomainSocketAddress.of(path))) {
                return "";
            }
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                probe.register(selector, java.nio.channels.SelectionKey.OP_CONNECT);
                io.github.ipcatlas.core.Deadline deadline = io.github.ipcatlas.core.Deadline.after(PROBE_TIMEOUT);
                while (!probe.finishConnect()) {
                    if (deadline.expired()) {
                        return " (it did not take a connection within " + PROBE_TIMEOUT.toMillis() + " ms)";
                    }
                    selector.select(Math.max(1, deadline.remainingMillis()));
                }
                return "";
            }
        } catch (ConnectException | java.nio.file.NoSuchFileException nobodyListens) {
            return null; // ECONNREFUSED; ENOENT when another reclaimer removed it first
        } catch (java.net.SocketException busy) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return null; // ENOENT as a plain SocketException: another reclaimer was first
            }
            return " (" + busy.getMessage() + ": its backlog is full, or the probe was refused)";
        }
    }

    /** The JDK's "Address already in use" with what it lacks: the address, and what to do. */
    static BindException withAddress(BindException cause, String message) {
        BindException e = new BindException(message);
        e.initCause(cause);
        return e;
    }

    /** The bound address; for TCP with port 0, the port the kernel chose. */
    public SocketAddress address() {
        return address;
    }

    /** The listening channel, for a selector (configure it non-blocking first) or for options. */
    public ServerSocketChannel channel() {
        return channel;
    }

    /**
     * Accepts the next connection, blocking; TCP connections get {@code TCP_NODELAY} (see {@link Connections}).
     *
     * @throws java.nio.channels.AsynchronousCloseException if {@link #close()} is called meanwhile
     */
    public SocketChannel accept() throws IOException {
        SocketChannel connection = channel.accept();
        if (connection != null) {
            Connections.tune(connection);
        }
        return connection;
    }

    /**
     * Accepts the next connection, waiting at most {@code timeout}.
     *
     * @return the connection (blocking, tuned as by {@link #accept()}), or {@code null} when none came in time
     */
    public SocketChannel accept(java.time.Duration timeout) throws IOException {
        synchronized (channel.blockingLock()) {
            channel.configureBlocking(false);
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                channel.register(selector, java.nio.channels.SelectionKey.OP_ACCEPT);
                io.github.ipcatlas.core.Deadline deadline = io.github.ipcatlas.core.Deadline.after(timeout);
                SocketChannel connection;
                while ((connection = channel.accept()) == null && !deadline.expired()) {
                    selector.select(Math.max(1, deadline.remainingMillis()));
                }
                if (connection != null) {
                    connection.configureBlocking(true);
                    Connections.tune(connection);
                }
                return connection;
            } finally {
                if (channel.isOpen()) {
                    channel.configureBlocking(true); // the selector is closed, so the key is gone
                }
            }
        }
    }

    /** Stops listening and, for a Unix socket, removes the file if it is still ours. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.getAndSet(true)) {
            return;
        }
        channel.close();
        if (unixPath != null) {
            try {
                Object key = Files.readAttributes(unixPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
                if (unixFileKey.equals(key)) {
                    Files.deleteIfExists(unixPath);
                }
            } catch (java.nio.file.NoSuchFileException alreadyGone) {
                // someone removed it; nothing of ours remains
            }
        }
    }

    @Override
    public String toString() {
        return "server on " + address;
    }

    /** {@code value}, if it is at least 1: the check of every count a server is configured with. */
    static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " " + value + " must be at least 1");
        }
        return value;
    }
}
