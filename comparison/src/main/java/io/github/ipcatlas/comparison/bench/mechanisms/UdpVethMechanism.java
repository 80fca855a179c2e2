package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.UdpSocket;

/**
 * UDP between two hosts on one machine: the peer in a network namespace of its own, joined to the benchmark's by a
 * veth pair ({@link VethHost}), two connected sockets, one datagram per message. The peer binds its own address on a
 * fixed port; the benchmark sends it a greeting (a datagram two bytes longer than a message), again every 100 ms until
 * the peer, having connected back, returns one (the peer's link skips the repeats).
 */
public final class UdpVethMechanism implements Mechanism {
    static final int PEER_PORT = 7001;
    private static final int LARGEST_MESSAGE = 65_507 - UdpLink.GREETING_EXTRA;

    @Override
    public String id() {
        return "udp-veth";
    }

    @Override
    public String scope() {
        return VethHost.SCOPE;
    }

    @Override
    public String description() {
        return "UDP datagrams between two network namespaces joined by a veth pair (two hosts on one machine), "
                + "connected sockets; both sides block in recv(2); needs root";
    }

    @Override
    public String cannotCarry(int size) {
        String problem = VethHost.problem();
        return problem != null ? problem : size > LARGEST_MESSAGE ? "a UDP datagram carries at most 65507 bytes" : null;
    }

    @Override
    public String cannotStream() {
        return "UDP drops what a faster sender sends beyond the receiver's buffer: a one-way flood measures loss";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        VethHost host = VethHost.plan();
        UdpSocket[] socket = new UdpSocket[1];
        return ChildConnection.start(ChildConnection.peer(this, mode, host.peerAddress().getHostAddress(),
                        Integer.toString(mode.size()))
                .launcher(host.launcher()), peer -> {
                    host.join(peer.pid());
                    socket[0] = UdpSocket.bind(new InetSocketAddress(host.hostAddress(), 0))
                            .connect(new InetSocketAddress(host.peerAddress(), PEER_PORT));
                    greet(socket[0], mode.size(), ChildConnection.PEER_DEADLINE);
                    return new UdpLink(socket[0], mode.size());
                }, () -> {
                    if (socket[0] != null) {
                        socket[0].close();
                    }
                });
    }

    /** Sends a greeting every 100 ms until the peer returns one: it is bound and connected back. */
    private static void greet(UdpSocket socket, int size, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer hello = ByteBuffer.allocate(size + UdpLink.GREETING_EXTRA);
        do {
            socket.send(hello.clear());
            try {
                if (socket.receiveFrom(hello.clear(), Duration.ofMillis(100)) != null) {
                    return;
                }
            } catch (java.net.PortUnreachableException notYetBound) {
                TcpVethMechanism.sleepMillis(10); // ICMP: the peer has not bound its port yet
            }
        } while (System.nanoTime() - deadline < 0);
        throw new IpcTimeoutException("waiting for the peer's answer over udp", timeout);
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        InetAddress own = InetAddress.getByName(args.get(0));
        VethHost.awaitAddress(own, ChildConnection.PEER_DEADLINE);
        UdpSocket socket = UdpSocket.bind(new InetSocketAddress(own, PEER_PORT));
        try {
            ByteBuffer hello = ByteBuffer.allocate(Integer.parseInt(args.get(1)) + UdpLink.GREETING_EXTRA);
            SocketAddress sender = socket.receiveFrom(hello, ChildConnection.PEER_DEADLINE);
            if (sender == null) {
                throw new IpcTimeoutException("receive(udp hello from the benchmark)", ChildConnection.PEER_DEADLINE);
            }
            socket.connect((InetSocketAddress) sender);
            socket.send(hello.flip());
            return new UdpLink(socket, -1); // it skips the greetings sent again before this answer arrived
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
