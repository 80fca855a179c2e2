package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One direction of an in-process conversation between two threads. Each message is copied into memory the
 * direction owns and copied out by the receiver, as an IPC mechanism would, so threads and processes move the same
 * bytes. Implementations allocate nothing per message.
 */
interface OneWay {
    /** Hands over a copy of {@code message}'s remaining bytes. */
    void send(ByteBuffer message) throws IOException;

    /**
     * Fills {@code into}'s remaining bytes with the next message.
     *
     * @throws java.io.EOFException once the sender closed this direction and every message was received
     */
    void receive(ByteBuffer into) throws IOException;

    /** Ends this direction: the receiver sees end of stream after the messages already sent. */
    void close();
}
