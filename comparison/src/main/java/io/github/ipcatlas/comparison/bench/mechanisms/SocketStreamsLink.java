package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import io.github.ipcatlas.comparison.bench.Link;

/**
 * A {@link Link} over a {@link Socket}'s streams, the {@code java.net} way: each message is copied between the
 * caller's buffer and an array kept for the purpose, one each way, and goes through {@code write(byte[])} and
 * {@code read(byte[])}. An array grows once, to the largest message seen; after that nothing is allocated per
 * message. Not thread-safe: one thread per side.
 */
final class SocketStreamsLink implements Link {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] incoming = new byte[0];
    private byte[] outgoing = new byte[0];

    private SocketStreamsLink(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** The link over {@code socket}'s streams; the socket is closed if they cannot be had. */
    static SocketStreamsLink over(Socket socket) throws IOException {
        try {
            return new SocketStreamsLink(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        if (outgoing.length < length) {
            outgoing = new byte[length];
        }
        message.get(outgoing, 0, length);
        out.write(outgoing, 0, length);
    }

    /** Reads until {@code into} is full, however the kernel splits the stream; {@code into} holds what came so far. */
    @Override
    public void receive(ByteBuffer into) throws IOException {
        if (incoming.length < into.remaining()) {
            incoming = new byte[into.remaining()];
        }
        while (into.hasRemaining()) {
            int read = in.read(incoming, 0, into.remaining());
            if (read < 0) {
                throw new EOFException("the peer closed the stream with " + into.remaining() + " bytes of a "
                        + into.limit() + "-byte message missing");
            }
            into.put(incoming, 0, read);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
