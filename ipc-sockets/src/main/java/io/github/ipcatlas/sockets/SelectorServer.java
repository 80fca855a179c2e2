package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * A request/response server on one thread: a {@link Selector} watches every connection, and each length-prefixed
 * request ({@link FrameReader}) is answered with one length-prefixed response ({@link FrameWriter}) computed by a
 * {@link RequestHandler}. This is how servers hold many connections with few threads (nginx, Netty, Redis): no
 * thread waits for a slow client, and a client that does not read its responses only stops its own connection
 * (its writes wait for {@code OP_WRITE}; its further requests are not read meanwhile — back-pressure).
 *
 * <p>What one client can cost the others is bounded:
 * <ul>
 *   <li><b>Turns.</b> A ready connection gets at most {@link #REQUESTS_PER_TURN} requests answered before the next
 *       ready connection's turn, so a client pipelining requests as fast as it can (empty ones are the cheapest to
 *       send) delays the others by a turn, not for as long as it keeps sending.</li>
 *   <li><b>Memory.</b> Buffers of {@code maxFrameBytes} are lent from a pool only to connections that hold part of a
 *       request or an unsent response, and taken back between messages; in all they never exceed the
 *       {@linkplain Builder#bufferBudget budget}. A connection that finds no buffer (budget spent, or direct memory
 *       exhausted) is closed alone and counted in {@link #statistics()} with the reason; the others go on.</li>
 *   <li><b>Time.</b> A connection with no request under way is closed after the {@linkplain Builder#idleTimeout
 *       idle timeout}; a request that does not arrive whole, or a response the client does not take, within the
 *       {@linkplain Builder#messageTimeout message timeout} closes its connection (a client sending a byte a
 *       second). Both count as {@link ServerStatistics#timedOutConnections()}.</li>
 *   <li><b>Slots and descriptors.</b> Connections beyond {@code maxConnections} are closed on arrival. A failed
 *       {@code accept} ({@code EMFILE}) stops accepting for a short while ({@link ServerStatistics#acceptFailures()})
 *       instead of spinning on a listener that stays ready.</li>
 * </ul>
 * A protocol violation (an oversized length, a close in mid-message, a reset) or a handler's exception ends only its
 * connection. An {@link Error} ends the server: it is kept as {@link ServerStatistics#lastFailure()}, every
 * connection and the listener are closed (new clients are refused rather than left waiting), and the error goes on
 * to the thread's uncaught-exception handler.
 *
 * <p>The handler runs on the selector thread: it must not block. The loop allocates nothing per message.
 * Thread-safe to query and close; {@link #close()} wakes the selector, closes every connection and removes a Unix
 * socket file.
 */
public final class SelectorServer implements AutoCloseable {
    /** Requests of one connection answered in a row before the other ready connections get their turn. */
    public static final int REQUESTS_PER_TURN = 16;
    /** Default for {@link Builder#maxFrameBytes}: 64 KiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** Default for {@link Builder#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = BlockingServer.DEFAULT_MAX_CONNECTIONS;
    /** The most direct memory the default {@link Builder#bufferBudget} gives buffers: 64 MiB. */
    public static final long DEFAULT_BUFFER_BUDGET = 64L << 20;
    /** Default for {@link Builder#idleTimeout}: 2 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Timeouts.IDLE;
    /** Default for {@link Builder#messageTimeout}: 30 seconds. */
    public static final Duration DEFAULT_MESSAGE_TIMEOUT = Timeouts.MESSAGE;

    private static final int ACCEPTS_PER_TURN = 64;

    /** Computes the response to one request on the selector thread, without blocking. */
    @FunctionalInterface
    public interface RequestHandler {
        /**
         * @param request the request's bytes (position 0, limit = length); read-only by convention
         * @param response an empty buffer of {@code maxFrameBytes}; put the response in it (the server flips it)
         */
        void handle(ByteBuffer request, ByteBuffer response) throws IOException;
    }

    private final ServerEndpoint endpoint;
    private final RequestHandler handler;
    private final int maxFrameBytes;
    private final int maxConnections;
    private final Timeouts timeouts;
    private final BufferPool pool;
    private final Selector selector;
    private final SelectionKey listener;
    private final AcceptBackoff backoff = new AcceptBackoff();
    private final Thread loop;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ServerStatistics statistics = new ServerStatistics();
    private volatile boolean closing;
    // Selector thread only:
    /** The buffer the next response is written into; the answered request's buffer takes its place. */
    private ByteBuffer spare;
    private int open;
    private long now = System.nanoTime();
    private long nextSweep;
    private boolean acceptPaused;
    private long acceptResumes;

    private SelectorServer(ServerEndpoint endpoint, Builder options, long budget) throws IOException {
        this.endpoint = endpoint;
        this.handler = options.handler;
        this.maxFrameBytes = options.maxFrameBytes;
        this.maxConnections = options.maxConnections;
        this.timeouts = options.timeouts();
        this.nextSweep = now + timeouts.tickNanos;
        this.pool = new BufferPool(maxFrameBytes, budget);
        this.spare = pool.take();
        this.selector = Selector.open();
        try {
            endpoint.channel().configureBlocking(false);
            this.listener = endpoint.channel().register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.loop = new Thread(this::run, "selector " + endpoint.address());
        loop.setDaemon(true);
    }

    /**
     * Starts a server on {@code address} (see {@link ServerEndpoint#bind}) with the default budget and deadlines.
     *
     * @param maxFrameBytes the largest request and response, in bytes
     * @param maxConnections connections served at once; more are closed on arrival
     */
    public static SelectorServer start(SocketAddress address, int maxFrameBytes, int maxConnections,
                                       RequestHandler handler) throws IOException {
        return builder(address, handler).maxFrameBytes(maxFrameBytes).maxConnections(maxConnections).start();
    }

    /** A builder for a server on {@code address} answering requests with {@code handler}. */
    public static Builder builder(SocketAddress address, RequestHandler handler) {
        return new Builder(address, handler);
    }

    /** Connections accepted, rejected, failed and timed out so far, failed accepts, and the latest failure. */
    public ServerStatistics statistics() {
        return statistics;
    }

    /** The bound address. */
    public SocketAddress address() {
        return endpoint.address();
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(onReady, selectTimeoutMillis());
                now = System.nanoTime();
                if (acceptPaused && now - acceptResumes >= 0) {
                    acceptPaused = false;
                    listener.interestOps(SelectionKey.OP_ACCEPT);
                }
                if (timeouts.tickNanos > 0 && now - nextSweep >= 0) {
                    closeExpired();
                    nextSweep = now + timeouts.tickNanos;
                }
            }
        } catch (Throwable e) { // select failed, or an Error: nothing may end this loop unrecorded
            statistics.noted(e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            BlockingServer.closeQuietly(selector);
            if (!closing) {
                try {
                    endpoint.close(); // refuse new clients rather than queue them for nobody
                } catch (IOException e) {
                    statistics.noted(e);
                }
            }
        }
    }

    /** Until the next sweep for expired connections or the end of an accept pause; 0 (no limit) if neither. */
    private long selectTimeoutMillis() {
        long wait = Long.MAX_VALUE;
        long time = System.nanoTime();
        if (timeouts.tickNanos > 0) {
            wait = nextSweep - time;
        }
        if (acceptPaused) {
            wait = Math.min(wait, acceptResumes - time);
        }
        return wait == Long.MAX_VALUE ? 0 : Math.max(1, (wait + 999_999) / 1_000_000);
    }

    private void onReady(SelectionKey key) {
        now = System.nanoTime();
        if (!key.isValid()) {
            return;
        }
        if (key == listener) {
            acceptSome();
            return;
        }
        SelectorConnection connection = (SelectorConnection) key.attachment();
        try {
            if (key.isWritable() && !connection.flush(now)) {
                return;
            }
            if (!connection.serve(now)) {
                closeQuietly(key); // the client closed between requests
            }
        } catch (IOException | RuntimeException e) {
            statistics.failed(e);
            closeQuietly(key);
        }
    }

    private void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = endpoint.channel().accept();
            } catch (IOException e) {
                // EMFILE and friends leave the connection queued and the listener ready: pause, do not spin.
                statistics.acceptFailed(e);
                acceptPaused = true;
                acceptResumes = now + backoff.failed();
                listener.interestOps(0);
                return;
            }
            if (channel == null) {
                return;
            }
            backoff.succeeded();
            if (open >= maxConnections) {
                statistics.rejected();
                BlockingServer.closeQuietly(channel);
                continue;
            }
            try {
                Connections.tune(channel);
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(new SelectorConnection(this, key, channel, now));
                open++;
                statistics.accepted();
            } catch (IOException e) {
                statistics.noted(e);
                BlockingServer.closeQuietly(channel);
            }
        }
    }

    private void closeExpired() {
        for (SelectionKey key : selector.keys()) { // closing only cancels keys; the set changes in the next select
            if (key.attachment() instanceof SelectorConnection connection) {
                IpcTimeoutException expired = connection.expired(now);
                if (expired != null) {
                    statistics.timedOut(expired);
                    closeQuietly(key);
                }
            }
        }
    }

    private void closeQuietly(SelectionKey key) {
        if (key.attachment() instanceof SelectorConnection connection) {
            connection.release();
            key.attach(null);
            open--;
        }
        key.cancel();
        BlockingServer.closeQuietly(key.channel());
    }

    /**
     * Answers {@code request} (in a buffer lent by the pool) into the spare buffer, which it returns; the request's
     * buffer becomes the spare. So a connection holds one buffer at a time, and answering never needs a new one.
     */
    ByteBuffer answer(ByteBuffer request) throws IOException {
        ByteBuffer response = spare.clear();
        handler.handle(request, response);
        spare = request;
        statistics.answered();
        return response.flip();
    }

    BufferPool pool() {
        return pool;
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    /** Stops the loop, closes every connection and the listener. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closing) {
            return;
        }
        closing = true;
        selector.wakeup();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endpoint.close();
        }
    }

    @Override
    public String toString() {
        return "selector server on " + address();
    }

    /** Options of a {@link SelectorServer}. */
    public static final class Builder extends ServerOptions<Builder> {
        private final RequestHandler handler;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private long bufferBudget = -1;

        private Builder(SocketAddress address, RequestHandler handler) {
            super(address);
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        @Override
        Builder self() {
            return this;
        }

        /** The largest request and response, in bytes; also the size of each buffer. */
        public Builder maxFrameBytes(int value) {
            maxFrameBytes = ServerEndpoint.atLeastOne("maxFrameBytes", value);
            return this;
        }

        /**
         * The most direct memory the server's buffers may take, in bytes: at least {@code 2 × maxFrameBytes} (a spare
         * and one connection's). Default: enough for every connection to hold a message at once, {@code
         * (maxConnections + 1) × maxFrameBytes}, but no more than {@link #DEFAULT_BUFFER_BUDGET} unless two buffers
         * need more. With less than every connection could use, a burst of unfinished messages gets later
         * connections closed until the message deadline frees buffers.
         */
        public Builder bufferBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("bufferBudget " + bytes + " must be positive");
            }
            bufferBudget = bytes;
            return this;
        }

        /** Binds and starts the selector thread. */
        public SelectorServer start() throws IOException {
            long two = 2L * maxFrameBytes;
            long budget = bufferBudget > 0 ? bufferBudget
                    : Math.min((maxConnections + 1L) * maxFrameBytes, Math.max(two, DEFAULT_BUFFER_BUDGET));
            if (budget < two) {
                throw new IllegalArgumentException("bufferBudget " + budget + " is less than 2 × maxFrameBytes ("
                        + two + "): one spare buffer and one for a connection's message");
            }
            ServerEndpoint endpoint = ServerEndpoint.bind(address, backlog);
            try {
                SelectorServer server = new SelectorServer(endpoint, this, budget);
                server.loop.start();
                return server;
            } catch (IOException | RuntimeException e) {
                endpoint.close();
                throw e;
            }
        }
    }
}
