package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectableChannel;

/**
 * Writes length-prefixed messages, the counterpart of {@link FrameReader}: header and body go out in one gathering
 * {@code writev(2)}, so a small message is one segment on the wire, and a short write (a full socket buffer) is
 * resumed where it stopped.
 *
 * <p>On a blocking channel {@link #write} returns when the whole message is out. On a non-blocking one,
 * {@link #begin} then {@link #flush} until it returns {@code true}: back-pressure is a result, not a buffer that
 * grows.
 *
 * <p>Not thread-safe: one writer per stream. Allocates nothing after construction; the message buffer is the
 * caller's and is read, not copied.
 */
public final class FrameWriter {
    private final int maxFrameBytes;
    private final ByteBuffer header = ByteBuffer.allocateDirect(FrameReader.HEADER_BYTES);
    private final ByteBuffer[] pair = new ByteBuffer[2];

    /**
     * @param maxFrameBytes the largest message this writer sends: what the peer's reader accepts
     */
    public FrameWriter(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is negative");
        }
        this.maxFrameBytes = maxFrameBytes;
        pair[0] = header;
    }

    /**
     * Writes all of {@code message}'s remaining bytes as one message, blocking until they are out.
     *
     * @throws IllegalArgumentException if {@code channel} is in non-blocking mode (use {@link #begin}/{@link #flush})
     */
    public void write(GatheringByteChannel channel, ByteBuffer message) throws IOException {
        requireBlocking(channel, "; with a selector use begin and flush");
        begin(message);
        flush(channel); // a blocking write(2) returns only after writing something, so flush finishes
    }

    /** Refuses a non-blocking channel, on which a "blocking" write would spin instead of waiting. */
    static void requireBlocking(GatheringByteChannel channel, String advice) {
        if (channel instanceof SelectableChannel selectable && !selectable.isBlocking()) {
            throw new IllegalArgumentException("write(" + channel + ") needs a blocking channel" + advice);
        }
    }

    /**
     * Starts a message: {@code message}'s remaining bytes, which must stay untouched until {@link #flush} returns
     * {@code true}.
     *
     * @throws IllegalArgumentException if the message exceeds the maximum (before anything is written)
     * @throws IllegalStateException if the previous message is not flushed yet
     */
    public void begin(ByteBuffer message) {
        if (pair[1] != null) {
            throw new IllegalStateException("the previous message is not flushed yet");
        }
        if (message.remaining() > maxFrameBytes) {
            throw new IllegalArgumentException("a " + message.remaining() + "-byte message exceeds the limit of "
                    + maxFrameBytes + " bytes");
        }
        header.clear();
        header.putInt(0, message.remaining());
        pair[1] = message;
    }

    /** Writes what the channel takes; {@code true} once the whole message (or none was begun) is out. */
    public boolean flush(GatheringByteChannel channel) throws IOException {
        ByteBuffer body = pair[1];
        if (body == null) {
            return true;
        }
        while (header.hasRemaining() || body.hasRemaining()) {
            if (channel.write(pair) == 0) {
                return false;
            }
        }
        pair[1] = null;
        return true;
    }

    /** Whether a begun message still has bytes to write. */
    public boolean pending() {
        return pair[1] != null;
    }
}
