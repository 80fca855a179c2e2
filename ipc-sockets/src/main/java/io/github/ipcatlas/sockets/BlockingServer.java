package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.VirtualThreads;

/**
 * The classic stream server: one thread accepts, and each connection gets a thread of its own that runs blocking
 * code from start to end — the easiest server to write and read. Connection threads are virtual when the JDK has
 * them (21+), so ten thousand idle connections cost little; on 17 they are platform threads.
 *
 * <p>At most {@code maxConnections} are served at once: a connection accepted beyond that is closed at once (the
 * client reads end of stream) and counted in {@link #statistics()}, so a flood of clients cannot exhaust
 * threads or descriptors.
 *
 * <p>{@link #close()} stops accepting (waking the acceptor), closes every live connection (waking their threads
 * blocked in {@code read}), waits for the threads, and removes a Unix socket file. A handler's exception ends only
 * its connection; it is counted and kept in {@link #statistics()}.
 *
 * <p>Thread-safe.
 */
public final class BlockingServer implements AutoCloseable {
    /** Default for {@link Builder#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    /** Serves one connection, blocking; the server closes the channel when this returns. */
    @FunctionalInterface
    public interface ConnectionHandler {
        void handle(SocketChannel connection) throws IOException;
    }

    private final ServerEndpoint endpoint;
    private final ConnectionHandler handler;
    private final int maxConnections;
    private final ExecutorService workers;
    private final Thread acceptor;
    private final Set<SocketChannel> live = ConcurrentHashMap.newKeySet();
    private final ServerStatistics statistics = new ServerStatistics();
    private volatile boolean closing;

    private BlockingServer(ServerEndpoint endpoint, ConnectionHandler handler, int maxConnections) {
        this.endpoint = endpoint;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.workers = VirtualThreads.newThreadPerTaskExecutor();
        this.acceptor = new Thread(this::acceptLoop, "accept " + endpoint.address());
        acceptor.setDaemon(true);
    }

    /** Starts a server on {@code address} (see {@link ServerEndpoint#bind}) with the default limits. */
    public static BlockingServer start(SocketAddress address, ConnectionHandler handler) throws IOException {
        return builder(address, handler).start();
    }

    /** A builder for a server on {@code address} running {@code handler} per connection. */
    public static Builder builder(SocketAddress address, ConnectionHandler handler) {
        return new Builder(address, handler);
    }

    /** Connections accepted, rejected and failed so far, and the latest failure. */
    public ServerStatistics statistics() {
        return statistics;
    }

    /** The bound address (the real port when 0 was asked for). */
    public SocketAddress address() {
        return endpoint.address();
    }

    /** Connections being served now. */
    public int activeConnections() {
        return live.size();
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel connection;
            try {
                connection = endpoint.accept();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                statistics.noted(e); // EMFILE and friends: report, keep serving the connections we have
                continue;
            }
            if (live.size() >= maxConnections) {
                statistics.rejected();
                closeQuietly(connection);
                continue;
            }
            live.add(connection);
            if (closing) { // close() may have swept the set before this connection joined it
                closeQuietly(connection);
                live.remove(connection);
                return;
            }
            statistics.accepted();
            workers.execute(() -> serve(connection));
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            handler.handle(connection);
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                statistics.failed(e);
            }
        } finally {
            live.remove(connection);
        }
    }

    /** Stops accepting, closes every connection, waits up to 10 s for the handlers. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closing) {
            return;
        }
        closing = true;
        try {
            endpoint.close();
        } finally {
            live.forEach(BlockingServer::closeQuietly);
            workers.shutdown();
            try {
                acceptor.join(10_000);
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes {@code resource} to free it, on a path that has nothing to report a failure to. */
    static void closeQuietly(java.io.Closeable resource) {
        try {
            resource.close();
        } catch (IOException ignored) {
            // freeing only
        }
    }

    @Override
    public String toString() {
        return "blocking server on " + address();
    }

    /** Options of a {@link BlockingServer}. */
    public static final class Builder {
        private final SocketAddress address;
        private final ConnectionHandler handler;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int backlog = ServerEndpoint.DEFAULT_BACKLOG;

        private Builder(SocketAddress address, ConnectionHandler handler) {
            this.address = Objects.requireNonNull(address, "address");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Connections served at once; more are closed on arrival. */
        public Builder maxConnections(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConnections " + value + " must be at least 1");
            }
            maxConnections = value;
            return this;
        }

        /** The {@code listen(2)} backlog. */
        public Builder backlog(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("backlog " + value + " must be at least 1");
            }
            backlog = value;
            return this;
        }

        /** Binds and starts accepting. */
        public BlockingServer start() throws IOException {
            BlockingServer server = new BlockingServer(ServerEndpoint.bind(address, backlog), handler, maxConnections);
            server.acceptor.start();
            return server;
        }
    }
}
