package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * Client connections with a deadline. {@link SocketChannel#connect} has none: towards an address that drops SYNs a
 * TCP connect waits for the kernel's retries (two minutes and more). Here the connect runs non-blocking and waits
 * in a selector up to the deadline; the channel is returned in blocking mode.
 *
 * <p>TCP connections get {@code TCP_NODELAY}: request/response protocols write small messages and must not wait
 * for Nagle's algorithm to coalesce them (and for the peer's delayed ACK, 40 ms on Linux).
 */
public final class Connections {
    private Connections() {
    }

    /**
     * Connects to {@code address} (TCP or Unix domain) within {@code timeout}.
     *
     * @throws ConnectException naming the address when nobody listens ({@code ECONNREFUSED}, or for a Unix path
     *     that does not exist, {@code ENOENT})
     * @throws IpcTimeoutException when the deadline passes first
     */
    public static SocketChannel connect(SocketAddress address, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        if (address instanceof UnixDomainSocketAddress unix) {
            SocketAddresses.unix(unix.getPath());
        }
        SocketChannel channel = SocketChannel.open(SocketAddresses.family(address));
        boolean connected = false;
        try {
            channel.configureBlocking(false);
            try {
                if (!channel.connect(address)) {
                    try (Selector selector = Selector.open()) {
                        channel.register(selector, SelectionKey.OP_CONNECT);
                        while (!channel.finishConnect()) {
                            if (deadline.expired()) {
                                throw new IpcTimeoutException("connect(" + address + ")", timeout);
                            }
                            selector.select(Math.max(1, deadline.remainingMillis()));
                        }
                    }
                }
            } catch (ConnectException | java.nio.file.NoSuchFileException e) {
                ConnectException refused = new ConnectException("connect(" + address + ") failed: nobody listens "
                        + "there (" + e.getMessage() + ")");
                refused.initCause(e);
                throw refused;
            } catch (java.net.SocketException e) {
                if (address instanceof UnixDomainSocketAddress unix && !java.nio.file.Files.exists(unix.getPath())) {
                    throw new ConnectException("connect(" + address + ") failed: no such socket file (ENOENT)");
                }
                throw e;
            }
            channel.configureBlocking(true);
            tune(channel);
            connected = true;
            return channel;
        } finally {
            if (!connected) {
                channel.close();
            }
        }
    }

    /** Who is at the other end of {@code channel}, for messages: its address, or the socket it reached. */
    static String peerName(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            if (remote instanceof UnixDomainSocketAddress unix && unix.getPath().toString().isEmpty()) {
                return "a client of " + channel.getLocalAddress(); // Unix clients are rarely bound to a name
            }
            return String.valueOf(remote);
        } catch (IOException closed) {
            return "a closed connection";
        }
    }

    /** Sets {@code TCP_NODELAY} on a TCP channel; Unix channels have no Nagle algorithm. */
    static void tune(SocketChannel channel) throws IOException {
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }
}
