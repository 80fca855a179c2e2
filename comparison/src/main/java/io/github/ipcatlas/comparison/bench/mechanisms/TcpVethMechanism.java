package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
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
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;
import io.github.ipcatlas.sockets.ServerEndpoint;

/**
 * TCP between two hosts on one machine: the peer in a network namespace of its own, joined to the benchmark's by a
 * veth pair ({@link VethHost}), {@code TCP_NODELAY} on both ends. Here the peer listens — on its own address, on a
 * fixed port, since nothing else lives in its namespace — and the benchmark connects once the pair is up and sends
 * the connection's token first; the peer drops any connection that does not, within a few seconds.
 */
public final class TcpVethMechanism implements Mechanism {
    /** The peer's port: its namespace is new, so no other socket can hold it. */
    static final int PEER_PORT = 7000;
    /** How long a connection may take to send the token before the peer drops it. */
    private static final Duration TOKEN_WAIT = Duration.ofSeconds(5);

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
        String self = String.valueOf(ProcessHandle.current().pid());
        return ChildConnection.start(host.prepare(ChildConnection.peer(this, mode, self)), peer -> {
            host.join(peer.pid());
            SocketChannel channel = connectWhenListening(new InetSocketAddress(host.peerAddress(), PEER_PORT),
                    ChildConnection.PEER_DEADLINE);
            try {
                ByteBuffer token = ByteBuffer.wrap(host.token());
                while (token.hasRemaining()) {
                    channel.write(token);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new StreamLink(channel, channel);
        }, () -> { });
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(0))); // its namespace must not outlive it
        byte[] token = VethHost.peerToken();
        InetAddress own = VethHost.awaitOwnAddress(ChildConnection.PEER_DEADLINE);
        long deadline = System.nanoTime() + ChildConnection.PEER_DEADLINE.toNanos();
        try (ServerEndpoint endpoint = ServerEndpoint.bind(new InetSocketAddress(own, PEER_PORT))) {
            while (true) {
                long left = deadline - System.nanoTime();
                SocketChannel channel = left > 0 ? endpoint.accept(Duration.ofNanos(left)) : null;
                if (channel == null) {
                    throw new IpcTimeoutException("accept(" + endpoint.address() + ") of a connection with the token",
                            ChildConnection.PEER_DEADLINE);
                }
                if (carriesToken(channel, token)) {
                    return new StreamLink(channel, channel);
                }
                channel.close(); // someone else's: keep listening
            }
        }
    }

    /** Whether the first bytes {@code channel} brings, within {@link #TOKEN_WAIT}, are {@code token}. */
    private static boolean carriesToken(SocketChannel channel, byte[] token) throws IOException {
        channel.socket().setSoTimeout((int) TOKEN_WAIT.toMillis()); // the socket's stream honours it, the channel not
        try {
            byte[] offered = channel.socket().getInputStream().readNBytes(token.length);
            return VethHost.matches(token, offered);
        } catch (SocketTimeoutException silent) {
            return false;
        } finally {
            if (channel.isOpen()) {
                channel.socket().setSoTimeout(0);
            }
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
                VethHost.pause(10); // the peer is still starting
            }
        }
    }
}
