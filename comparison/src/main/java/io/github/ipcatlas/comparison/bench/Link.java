package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One side of a benchmark conversation: whole messages out and in. Implementations allocate nothing per message.
 */
public interface Link extends AutoCloseable {
    /** Sends all of {@code message}'s remaining bytes. */
    void send(ByteBuffer message) throws IOException;

    /**
     * Fills {@code into}'s remaining bytes with exactly one message.
     *
     * @throws java.io.EOFException if the peer closed first
     */
    void receive(ByteBuffer into) throws IOException;

    @Override
    void close() throws IOException;
}
