package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.VirtualThreads;

/**
 * The classic stream server: one thread accepts, and each connection gets a thread of its own that runs blocking
 * code from start to end — the easiest server to write and read. Connection threads are virtual when the JDK has
 * them (21+), so ten thousand idle connections cost little; on 17 they are platform threads.
 *
 * <p>At most {@code maxConnections} are served at once: a connection accepted beyond that is closed at once (the
 * client reads end of stream) and counted in {@link #statistics()}, so a flood of clients cannot exhaust
 * threads or descriptors. So that idle or slow clients cannot hold those slots, a connection is closed when a read or
 * write on it waits for the client longer than the {@linkplain Builder#idleTimeout idle timeout}, or when a message
 * read with {@link FrameReader} or {@link DelimitedReader} takes longer than the {@linkplain Builder#messageTimeout
 * message timeout} from its first byte (a client sending a byte a second); both count as
 * {@link ServerStatistics#timedOutConnections()}. The handler sees its blocked call fail
 * ({@link java.nio.channels.AsynchronousCloseException}). A handler that reads raw bytes gets the idle deadline only:
 * the server cannot tell where its messages end. The channel a handler gets is blocking and cannot be registered
 * with a selector.
 *
 * <p>A failed {@code accept} ({@code EMFILE}: no descriptor left) stops accepting for a short while — 50 ms, doubling
 * to 1 s — instead of retrying at once on a listener that stays ready; it is counted in
 * {@link ServerStatistics#acceptFailures()}.
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
    /** Default for {@link Builder#idleTimeout}: 2 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Timeouts.IDLE;
    /** Default for {@link Builder#messageTimeout}: 30 seconds. */
    public static final Duration DEFAULT_MESSAGE_TIMEOUT = Timeouts.MESSAGE;

    /** Serves one connection, blocking; the server closes the channel when this returns. */
    @FunctionalInterface
    public interface ConnectionHandler {
        void handle(SocketChannel connection) throws IOException;
    }

    private final ServerEndpoint endpoint;
    private final ConnectionHandler handler;
    private final int maxConnections;
    private final Timeouts timeouts;
    private final ExecutorService workers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private final AcceptBackoff backoff = new AcceptBackoff();
    private final Set<WatchedChannel> live = ConcurrentHashMap.newKeySet();
    private final ServerStatistics statistics = new ServerStatistics();
    private volatile boolean closing;

    private BlockingServer(ServerEndpoint endpoint, Builder options) {
        this.endpoint = endpoint;
        this.handler = options.handler;
        this.maxConnections = options.maxConnections;
        this.timeouts = options.timeouts();
        this.workers = VirtualThreads.newThreadPerTaskExecutor();
        this.acceptor = new Thread(this::acceptLoop, "accept " + endpoint.address());
        acceptor.setDaemon(true);
        long tick = timeouts.tickNanos;
        if (tick == 0) {
            deadlines = null;
        } else {
            deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "deadlines " + endpoint.address());
                thread.setDaemon(true);
                return thread;
            });
            deadlines.scheduleWithFixedDelay(this::closeExpired, tick, tick, TimeUnit.NANOSECONDS);
        }
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
            WatchedChannel connection;
            try {
                connection = new WatchedChannel(endpoint.accept());
                backoff.succeeded();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // EMFILE and friends: report, keep serving the connections we have, and pause rather than spin
                // on the connection that stays queued.
                statistics.acceptFailed(e);
                pause(backoff.failed());
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

    private void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !closing; left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left); // close() unparks
        }
    }

    private void serve(WatchedChannel connection) {
        try (connection) {
            handler.handle(connection);
        } catch (IOException | RuntimeException e) {
            if (!closing && !connection.timedOut()) {
                statistics.failed(e);
            }
        } catch (Error e) {
            statistics.failed(e);
            throw e;
        } finally {
            live.remove(connection);
        }
    }

    /** Closes the connections whose client has made a read or write wait too long, or a message take too long. */
    private void closeExpired() {
        try {
            closeExpired(System.nanoTime());
        } catch (RuntimeException e) { // an escaping exception would cancel every later sweep, silently
            statistics.noted(e);
        }
    }

    private void closeExpired(long now) {
        for (WatchedChannel connection : live) {
            long waiting = connection.waitingSince();
            long message = connection.messageSince();
            IpcTimeoutException expired = null;
            if (timeouts.messageNanos > 0 && message != WatchedChannel.STOPPED
                    && now - message > timeouts.messageNanos) {
                expired = new IpcTimeoutException("receiving a message from " + connection.peerName()
                        + " (messageTimeout)", timeouts.message);
            } else if (timeouts.idleNanos > 0 && waiting != WatchedChannel.STOPPED
                    && now - waiting > timeouts.idleNanos) {
                expired = new IpcTimeoutException("waiting for " + connection.peerName()
                        + " to send or take a byte (idleTimeout)", timeouts.idle);
            }
            if (expired != null && !connection.timedOut()) {
                connection.markTimedOut();
                statistics.timedOut(expired);
                closeQuietly(connection);
            }
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
            LockSupport.unpark(acceptor); // in case it pauses after a failed accept
            if (deadlines != null) {
                deadlines.shutdownNow();
            }
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
    public static final class Builder extends ServerOptions<Builder> {
        private final ConnectionHandler handler;

        private Builder(SocketAddress address, ConnectionHandler handler) {
            super(address);
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        @Override
        Builder self() {
            return this;
        }

        /** Binds and starts accepting. */
        public BlockingServer start() throws IOException {
            BlockingServer server = new BlockingServer(ServerEndpoint.bind(address, backlog), this);
            server.acceptor.start();
            return server;
        }
    }
}
