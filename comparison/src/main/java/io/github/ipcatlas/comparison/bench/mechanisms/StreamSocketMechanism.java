package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.StreamLink;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.ServerEndpoint;
import io.github.ipcatlas.sockets.SocketAddresses;

/**
 * A stream socket to a child JVM: the benchmark listens, the peer connects, and both ends block in {@code read(2)}
 * on one connection (TCP with {@code TCP_NODELAY}).
 */
abstract class StreamSocketMechanism implements io.github.ipcatlas.comparison.bench.Mechanism {

    /** Where to listen, and a cleanup for after the peer is gone. */
    abstract Listening listen() throws IOException;

    /** The address the peer connects to. */
    abstract SocketAddress parse(String argument);

    record Listening(ServerEndpoint endpoint, Runnable cleanup) {
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Listening listening = listen();
        try (ServerEndpoint endpoint = listening.endpoint()) { // one connection: stop listening once it is made
            return ChildConnection.start(ChildConnection.peer(this, mode, SocketAddresses.format(endpoint.address())),
                    peer -> {
                        SocketChannel channel = endpoint.accept(ChildConnection.PEER_DEADLINE);
                        if (channel == null) {
                            throw new IpcTimeoutException("accept(" + endpoint.address() + ")",
                                    ChildConnection.PEER_DEADLINE);
                        }
                        return new StreamLink(channel, channel);
                    }, endpoint, listening.cleanup());
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        SocketChannel channel = Connections.connect(parse(args.get(0)), ChildConnection.PEER_DEADLINE);
        return new StreamLink(channel, channel);
    }
}
