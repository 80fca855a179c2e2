package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.sockets.DatagramTruncatedException;
import io.github.ipcatlas.sockets.UdpSocket;

/**
 * A {@link Link} over a connected UDP socket: one datagram per message; a datagram one byte longer than the message
 * size marks the end, and one {@link #GREETING_EXTRA} bytes longer (a greeting repeated while the peer started) is skipped. A peer seen to
 * exit ({@link #peerGone}) ends a waiting receive. Only the benchmark's
 * side ({@code size} ≥ 0) ends a conversation.
 */
final class UdpLink implements Link {
    /** A greeting is this many bytes longer than a message: the end marker's one, one more, and a token. */
    static final int GREETING_EXTRA = 2 + VethHost.TOKEN_BYTES;
    private final UdpSocket socket;
    private final ByteBuffer end;
    private volatile boolean peerGone;

    UdpLink(UdpSocket socket, int size) {
        this.socket = socket;
        this.end = size < 0 ? null : ByteBuffer.allocateDirect(size + 1);
    }

    /** Called once the peer process has exited: closes the socket, which wakes a blocked receive with an EOF. */
    void peerGone() {
        peerGone = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was wanted; a receive sees the flag
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        try {
            socket.send(message);
        } catch (ClosedChannelException closed) {
            throw peerGone ? new EOFException("the peer exited") : closed;
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        int start = into.position();
        while (true) {
            try {
                socket.receive(into);
                return;
            } catch (ClosedChannelException closed) {
                throw peerGone ? new EOFException("the peer exited while this side was waiting for its message")
                        : closed;
            } catch (DatagramTruncatedException e) {
                into.position(start);
                if (e.datagramBytes() == e.bufferBytes() + 1) {
                    throw new EOFException("the other side ended the conversation");
                }
                if (e.datagramBytes() != e.bufferBytes() + GREETING_EXTRA) {
                    throw e;
                }
                // a greeting sent again while the peer started: not a message
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!socket.channel().isOpen()) {
            return;
        }
        try {
            if (end != null) {
                socket.send(end.clear());
            }
        } finally {
            socket.close();
        }
    }
}
