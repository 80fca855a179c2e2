package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A request/response server on one thread: a {@link Selector} watches every connection, and each length-prefixed
 * request ({@link FrameReader}) is answered with one length-prefixed response ({@link FrameWriter}) computed by a
 * {@link RequestHandler}. This is how servers hold many connections with few threads (nginx, Netty, Redis): no
 * thread waits for a slow client, and a client that does not read its responses only stops its own connection
 * (its writes wait for {@code OP_WRITE}; its further requests are not read meanwhile — back-pressure).
 *
 * <p>Each connection owns two buffers of {@code maxFrameBytes}, allocated when it is accepted; the loop allocates
 * nothing per message. A protocol violation (an oversized length, a close in mid-message, a reset) ends only that
 * connection and is counted in {@link #statistics()}.
 *
 * <p>The handler runs on the selector thread: it must not block. Thread-safe to query and close;
 * {@link #close()} wakes the selector, closes every connection and removes a Unix socket file.
 */
public final class SelectorServer implements AutoCloseable {
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
    private final Selector selector;
    private final RequestHandler handler;
    private final int maxFrameBytes;
    private final int maxConnections;
    private final Thread loop;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ServerStatistics statistics = new ServerStatistics();
    private volatile boolean closing;
    private int open;

    private SelectorServer(ServerEndpoint endpoint, RequestHandler handler, int maxFrameBytes, int maxConnections)
            throws IOException {
        this.endpoint = endpoint;
        this.handler = handler;
        this.maxFrameBytes = maxFrameBytes;
        this.maxConnections = maxConnections;
        this.selector = Selector.open();
        endpoint.channel().configureBlocking(false);
        endpoint.channel().register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::run, "selector " + endpoint.address());
        loop.setDaemon(true);
    }

    /**
     * Starts a server on {@code address} (see {@link ServerEndpoint#bind}).
     *
     * @param maxFrameBytes the largest request and response, in bytes
     * @param maxConnections connections served at once; more are closed on arrival
     */
    public static SelectorServer start(SocketAddress address, int maxFrameBytes, int maxConnections,
                                       RequestHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " must be at least 1");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " must be at least 1");
        }
        ServerEndpoint endpoint = ServerEndpoint.bind(address);
        try {
            SelectorServer server = new SelectorServer(endpoint, handler, maxFrameBytes, maxConnections);
            server.loop.start();
            return server;
        } catch (IOException | RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    /** Connections accepted, rejected and failed so far, and the latest failure. */
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
                selector.select(onReady);
            }
        } catch (IOException | RuntimeException e) {
            statistics.noted(e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            BlockingServer.closeQuietly(selector);
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            acceptAll();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isWritable() && !connection.flush()) {
                return;
            }
            if (key.isReadable() || key.isWritable()) {
                connection.serve();
            }
        } catch (IOException | RuntimeException e) {
            statistics.failed(e);
            closeQuietly(key);
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                channel = endpoint.channel().accept();
                if (channel == null) {
                    return;
                }
            } catch (IOException e) {
                statistics.noted(e);
                return;
            }
            if (open >= maxConnections) {
                statistics.rejected();
                BlockingServer.closeQuietly(channel);
                continue;
            }
            try {
                Connections.tune(channel);
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(key, channel));
                open++;
                statistics.accepted();
            } catch (IOException e) {
                statistics.noted(e);
                BlockingServer.closeQuietly(channel);
            }
        }
    }

    private void closeQuietly(SelectionKey key) {
        if (key.attachment() instanceof Connection) {
            open--;
        }
        key.cancel();
        BlockingServer.closeQuietly(key.channel());
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

    /** One client: its decoder, encoder and two buffers. Used only on the selector thread. */
    private final class Connection {
        private final SelectionKey key;
        private final SocketChannel channel;
        private final FrameReader reader = new FrameReader(maxFrameBytes);
        private final FrameWriter writer = new FrameWriter(maxFrameBytes);
        private final ByteBuffer request = ByteBuffer.allocateDirect(maxFrameBytes);
        private final ByteBuffer response = ByteBuffer.allocateDirect(maxFrameBytes);

        Connection(SelectionKey key, SocketChannel channel) {
            this.key = key;
            this.channel = channel;
        }

        /** Answers every complete request; stops when the socket has no more bytes or cannot take a response. */
        void serve() throws IOException {
            while (true) {
                int length = reader.read(channel, request);
                if (length == FrameReader.INCOMPLETE) {
                    return;
                }
                if (length == FrameReader.END_OF_STREAM) {
                    closeQuietly(key);
                    return;
                }
                request.flip();
                handler.handle(request, response.clear());
                request.clear();
                writer.begin(response.flip());
                statistics.answered();
                if (!flush()) {
                    return;
                }
            }
        }

        /** Writes the pending response; while it cannot finish, waits for OP_WRITE instead of reading. */
        boolean flush() throws IOException {
            if (writer.flush(channel)) {
                key.interestOps(SelectionKey.OP_READ);
                return true;
            }
            key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
    }
}
