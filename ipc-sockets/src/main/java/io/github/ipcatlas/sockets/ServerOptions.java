package io.github.ipcatlas.sockets;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What both servers are configured with: where they listen, how many connections they serve, and the deadlines that
 * keep an idle or a trickling client from holding a slot for ever. {@link BlockingServer.Builder} and
 * {@link SelectorServer.Builder} add their own options. Not thread-safe.
 *
 * @param <B> the concrete builder, which the setters return
 */
public abstract class ServerOptions<B extends ServerOptions<B>> {
    final SocketAddress address;
    int maxConnections = BlockingServer.DEFAULT_MAX_CONNECTIONS;
    int backlog = ServerEndpoint.DEFAULT_BACKLOG;
    Duration idleTimeout = Timeouts.IDLE;
    Duration messageTimeout = Timeouts.MESSAGE;

    ServerOptions(SocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
    }

    /** This builder, as its own type. */
    abstract B self();

    /** Connections served at once; more are closed on arrival. */
    public B maxConnections(int value) {
        maxConnections = ServerEndpoint.atLeastOne("maxConnections", value);
        return self();
    }

    /** The {@code listen(2)} backlog. */
    public B backlog(int value) {
        backlog = ServerEndpoint.atLeastOne("backlog", value);
        return self();
    }

    /**
     * How long a connection may wait for its client before it is closed: a {@link BlockingServer} bounds each read or
     * write with it, a {@link SelectorServer} the pause between requests. {@link Duration#ZERO}: for ever.
     */
    public B idleTimeout(Duration timeout) {
        idleTimeout = Timeouts.check("idleTimeout", timeout);
        return self();
    }

    /**
     * How long a message may take to arrive whole from its first byte (and, for a {@link SelectorServer}, a response
     * to be taken by the client from its first byte) before the connection is closed; {@link Duration#ZERO}: for
     * ever. A {@link BlockingServer} applies it to messages read with {@link FrameReader} or {@link DelimitedReader}.
     */
    public B messageTimeout(Duration timeout) {
        messageTimeout = Timeouts.check("messageTimeout", timeout);
        return self();
    }

    /** The two deadlines, as the connections apply them. */
    Timeouts timeouts() {
        return new Timeouts(idleTimeout, messageTimeout);
    }
}
