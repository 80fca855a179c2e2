package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.StreamLink;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.ServerEndpoint;

/**
 * TCP between two hosts on one machine: the peer in a network namespace of its own, joined to the benchmark's by a
 * veth pair ({@link VethHost}), {@code TCP_NODELAY} on both ends. Here the peer listens — on its own address, on a
 * fixed port, since nothing else lives in its namespace — and the benchmark connects once the pair is up.
 */
public final class TcpVethMechanism implements Mechanism {
    /** The peer's port: its namespace is new, so no other socket can hold it. */
    static final int PEER_PORT = 7000;

    @Override
    public String id() {
        return "tcp-veth";
    }

    @Override
    public String scope() {
        return VethHost.SCOPE;
    }

    @Override
    public String description() {
        return "TCP between two network namespaces joined by a veth pair (two hosts on one machine), TCP_NODELAY; "
                + "both sides block in read(2); needs root";
    }

    @Override
    public String cannotCarry(int size) {
        return VethHost.problem();
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        VethHost host = VethHost.plan();
        return ChildConnection.start(ChildConnection.peer(this, mode, host.peerAddress().getHostAddress())
                .launcher(host.launcher()), peer -> {
                    host.join(peer.pid());
                    SocketChannel channel = connectWhenListening(
                            new InetSocketAddress(host.peerAddress(), PEER_PORT), ChildConnection.PEER_DEADLINE);
                    return new StreamLink(channel, channel);
                }, () -> { });
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        InetAddress own = InetAddress.getByName(args.get(0));
        VethHost.awaitAddress(own, ChildConnection.PEER_DEADLINE);
        try (ServerEndpoint endpoint = ServerEndpoint.bind(new InetSocketAddress(own, PEER_PORT))) {
            SocketChannel channel = endpoint.accept(ChildConnection.PEER_DEADLINE);
            if (channel == null) {
                throw new IpcTimeoutException("accept(" + endpoint.address() + ")", ChildConnection.PEER_DEADLINE);
            }
            return new StreamLink(channel, channel);
        }
    }

    /** Connects to {@code address}, again while nobody listens there yet (the peer is still starting). */
    static SocketChannel connectWhenListening(InetSocketAddress address, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return Connections.connect(address, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (ConnectException refused) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IpcTimeoutException("connect(" + address + ")", timeout);
                }
                sleepMillis(10);
            }
        }
    }

    static void sleepMillis(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
