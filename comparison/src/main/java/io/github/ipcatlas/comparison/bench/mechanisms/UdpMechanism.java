package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.SocketAddresses;
import io.github.ipcatlas.sockets.UdpSocket;

/**
 * Two connected UDP sockets on loopback, one datagram per message. The peer announces itself with a first datagram
 * so the benchmark can connect back. UDP has no end of stream: closing sends one datagram a byte longer than any
 * message, which the receiver reads as the end.
 */
public final class UdpMechanism implements Mechanism {
    private static final int LARGEST_MESSAGE = 65_507 - 1;

    @Override
    public String id() {
        return "udp";
    }

    @Override
    public String description() {
        return "UDP datagrams over loopback, udp(7), connected sockets; both sides block in recv(2)";
    }

    @Override
    public String cannotCarry(int size) {
        return size > LARGEST_MESSAGE ? "a UDP datagram carries at most 65507 bytes" : null;
    }

    @Override
    public String cannotStream() {
        return "UDP drops what a faster sender sends beyond the receiver's buffer: a one-way flood measures loss";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        UdpSocket socket = UdpSocket.bind(SocketAddresses.loopback(0));
        return ChildConnection.start(ChildConnection.peer(this, mode, String.valueOf(socket.localAddress().getPort())),
                peer -> {
                    ByteBuffer hello = ByteBuffer.allocate(1);
                    java.net.SocketAddress sender = socket.receiveFrom(hello, ChildConnection.PEER_DEADLINE);
                    if (sender == null) {
                        throw new IpcTimeoutException("receive(udp hello from the peer)",
                                ChildConnection.PEER_DEADLINE);
                    }
                    socket.connect((InetSocketAddress) sender);
                    socket.send(hello.flip());
                    UdpLink link = new UdpLink(socket, mode.size());
                    PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone); // UDP has no end of stream
                    return link;
                }, socket);
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        UdpSocket socket = UdpSocket.bind(SocketAddresses.loopback(0));
        socket.connect(SocketAddresses.loopback(Integer.parseInt(args.get(0))));
        ByteBuffer hello = ByteBuffer.allocate(1);
        socket.send(hello);
        socket.receive(hello.clear()); // the benchmark is connected back: datagrams can flow both ways
        return new UdpLink(socket, -1); // the peer never ends a conversation
    }
}
