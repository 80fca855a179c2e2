package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Writes messages followed by a delimiter byte, the counterpart of {@link DelimitedReader}. A message that contains
 * the delimiter is refused: it would arrive as two.
 *
 * <p>Not thread-safe. Allocates nothing after construction.
 */
public final class DelimitedWriter {
    private final ByteBuffer delimiter = ByteBuffer.allocateDirect(1);
    private final ByteBuffer[] pair = new ByteBuffer[2];

    public DelimitedWriter(byte delimiter) {
        this.delimiter.put(0, delimiter);
        pair[1] = this.delimiter;
    }

    /**
     * Writes {@code message}'s remaining bytes and the delimiter, blocking until all are out.
     *
     * @throws IllegalArgumentException if the message contains the delimiter, or the channel is non-blocking
     */
    public void write(GatheringByteChannel channel, ByteBuffer message) throws IOException {
        FrameWriter.requireBlocking(channel, "");
        byte mark = delimiter.get(0);
        for (int i = message.position(); i < message.limit(); i++) {
            if (message.get(i) == mark) {
                throw new IllegalArgumentException("the message contains the delimiter byte " + (mark & 0xff)
                        + " at offset " + (i - message.position()));
            }
        }
        delimiter.clear();
        pair[0] = message;
        try {
            while (message.hasRemaining() || delimiter.hasRemaining()) {
                channel.write(pair);
            }
        } finally {
            pair[0] = null;
        }
    }
}
