package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.sockets.DatagramTruncatedException;
import io.github.ipcatlas.sockets.UdpSocket;

/**
 * A {@link Link} over a connected UDP socket: one datagram per message; a datagram one byte longer than the message
 * size marks the end, and one two bytes longer (a greeting repeated while the peer started) is skipped. Only the benchmark's
 * side ({@code size} ≥ 0) ends a conversation.
 */
final class UdpLink implements Link {
    /** A greeting is two bytes longer than a message. */
    static final int GREETING_EXTRA = 2;
    private final UdpSocket socket;
    private final ByteBuffer end;

    UdpLink(UdpSocket socket, int size) {
        this.socket = socket;
        this.end = size < 0 ? null : ByteBuffer.allocateDirect(size + 1);
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        socket.send(message);
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        int start = into.position();
        while (true) {
            try {
                socket.receive(into);
                return;
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
