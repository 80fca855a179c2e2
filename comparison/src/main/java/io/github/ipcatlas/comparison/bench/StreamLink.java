package io.github.ipcatlas.comparison.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link Link} over two byte streams (pipes, FIFOs, stream sockets): messages have a size both sides know, so a
 * receive reads until the buffer is full, however the kernel splits the stream.
 */
public final class StreamLink implements Link {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;

    public StreamLink(ReadableByteChannel in, WritableByteChannel out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            out.write(message);
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (in.read(into) < 0) {
                throw new EOFException("the peer closed the stream with " + into.remaining() + " bytes of a "
                        + into.limit() + "-byte message missing");
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            in.close();
        }
    }
}
