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
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;
import io.github.ipcatlas.sockets.DatagramTruncatedException;
import io.github.ipcatlas.sockets.UdpSocket;

/**
 * UDP between two hosts on one machine: the peer in a network namespace of its own, joined to the benchmark's by a
 * veth pair ({@link VethHost}), two connected sockets, one datagram per message. The peer binds its own address on a
 * fixed port; the benchmark sends it a greeting — a datagram {@link UdpLink#GREETING_EXTRA} bytes longer than a
 * message, starting with the connection's token — again every 100 ms until the peer, having connected back to the
 * greeting's sender, returns one. The peer ignores datagrams without the token, and its link skips the repeats.
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
        return problem != null ? problem : size > LARGEST_MESSAGE ? "udp-veth carries at most " + LARGEST_MESSAGE
                + " bytes (its greeting is " + UdpLink.GREETING_EXTRA + " bytes longer than a message, and a UDP "
                + "datagram carries at most 65507)" : null;
    }

    @Override
    public String cannotStream() {
        return "UDP drops what a faster sender sends beyond the receiver's buffer: a one-way flood measures loss";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        VethHost host = VethHost.plan();
        UdpSocket[] socket = new UdpSocket[1];
        String self = String.valueOf(ProcessHandle.current().pid());
        return ChildConnection.start(host.prepare(ChildConnection.peer(this, mode, Integer.toString(mode.size()),
                self)), peer -> {
                    host.join(peer.pid());
                    socket[0] = UdpSocket.bind(new InetSocketAddress(host.hostAddress(), 0))
                            .connect(new InetSocketAddress(host.peerAddress(), PEER_PORT));
                    greet(socket[0], greeting(mode.size(), host.token()), ChildConnection.PEER_DEADLINE);
                    UdpLink link = new UdpLink(socket[0], mode.size());
                    PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone);
                    return link;
                }, () -> {
                    if (socket[0] != null) {
                        socket[0].close();
                    }
                });
    }

    /** A greeting for {@code size}-byte messages: the token, then zeroes. */
    private static ByteBuffer greeting(int size, byte[] token) {
        return ByteBuffer.allocate(size + UdpLink.GREETING_EXTRA).put(token).clear();
    }

    /** Sends {@code greeting} every 100 ms until the peer returns one: it is bound and connected back. */
    private static void greet(UdpSocket socket, ByteBuffer greeting, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer answer = ByteBuffer.allocate(greeting.capacity());
        do {
            socket.send(greeting.clear());
            try {
                if (socket.receiveFrom(answer.clear(), Duration.ofMillis(100)) != null) {
                    return;
                }
            } catch (java.net.PortUnreachableException notYetBound) {
                VethHost.pause(10); // ICMP: the peer has not bound its port yet
            }
        } while (System.nanoTime() - deadline < 0);
        throw new IpcTimeoutException("waiting for the peer's answer over udp", timeout);
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(1))); // its namespace must not outlive it
        byte[] token = VethHost.peerToken();
        InetAddress own = VethHost.awaitOwnAddress(ChildConnection.PEER_DEADLINE);
        ByteBuffer greeting = greeting(Integer.parseInt(args.get(0)), token);
        UdpSocket socket = UdpSocket.bind(new InetSocketAddress(own, PEER_PORT));
        try {
            socket.connect((InetSocketAddress) awaitGreeting(socket, greeting));
            socket.send(greeting.clear());
            return new UdpLink(socket, -1); // it skips the greetings sent again before this answer arrived
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Receives until a datagram equal to {@code greeting} arrives, and returns its sender. */
    private static SocketAddress awaitGreeting(UdpSocket socket, ByteBuffer greeting) throws IOException {
        long deadline = System.nanoTime() + ChildConnection.PEER_DEADLINE.toNanos();
        ByteBuffer offered = ByteBuffer.allocate(greeting.capacity());
        while (true) {
            long left = deadline - System.nanoTime();
            SocketAddress sender = null;
            try {
                sender = left > 0 ? socket.receiveFrom(offered.clear(), Duration.ofNanos(left)) : null;
            } catch (DatagramTruncatedException tooLong) {
                continue; // not a greeting
            }
            if (sender == null) {
                throw new IpcTimeoutException("receive(a udp greeting with the token)", ChildConnection.PEER_DEADLINE);
            }
            if (!offered.hasRemaining() && VethHost.matches(greeting.array(), offered.array())) {
                return sender;
            }
        }
    }
}
