package io.github.ipcatlas.sockets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads length-prefixed messages: a 4-byte big-endian length, then that many bytes. A stream socket delivers bytes,
 * not messages: one {@code read(2)} may return half a header or three messages, so the length is what restores the
 * boundaries.
 *
 * <p>The announced length is checked against {@link #maxFrameBytes()} before a single body byte is read, and bodies
 * go into the caller's buffer: a hostile peer announcing 2 GiB gets a {@link FrameTooLargeException}, not an
 * allocation. Works on blocking channels (each call returns a whole message) and on non-blocking ones, where a call
 * that runs out of bytes returns {@link #INCOMPLETE} and keeps its place for the next call.
 *
 * <p>On a {@link BlockingServer} connection the reader also tells the server where each message begins and ends,
 * so the server can close a client that takes too long over one (its message timeout).
 *
 * <p>Not thread-safe: one reader per stream, used by one thread at a time. Allocates nothing after construction.
 */
public final class FrameReader {
    /** Bytes in the length prefix. */
    public static final int HEADER_BYTES = 4;
    /** Returned when the stream ended cleanly between two messages. */
    public static final int END_OF_STREAM = -1;
    /** Returned by a non-blocking channel when the message is not complete yet; call again when readable. */
    public static final int INCOMPLETE = -2;

    private final int maxFrameBytes;
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_BYTES);
    /** Length of the message being read, or -1 while its header is still arriving. */
    private int bodyLength = -1;
    private int bodyRead;

    /**
     * @param maxFrameBytes the largest message accepted, at least 0
     */
    public FrameReader(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is negative");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest message this reader accepts. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Reads the next message into {@code into}, from its position on. While a call returns {@link #INCOMPLETE}, pass
     * the same buffer again: part of the message is already in it.
     *
     * @return the message length; {@link #END_OF_STREAM} if the peer closed between messages; {@link #INCOMPLETE}
     *     if a non-blocking channel has no more bytes for now
     * @throws FrameTooLargeException if the announced length exceeds {@link #maxFrameBytes()}
     * @throws EOFException if the peer closed in the middle of a message
     * @throws IllegalArgumentException if a valid message does not fit in {@code into} (nothing of it is consumed:
     *     call again with a larger buffer)
     */
    public int read(ReadableByteChannel channel, ByteBuffer into) throws IOException {
        if (bodyLength < 0) {
            int status = readHeader(channel);
            if (status != 0) {
                return status;
            }
        }
        if (bodyRead == 0 && into.remaining() < bodyLength) {
            throw new IllegalArgumentException("a " + bodyLength + "-byte message does not fit in the "
                    + into.remaining() + " bytes left in the buffer");
        }
        int limit = into.limit();
        into.limit(into.position() + (bodyLength - bodyRead));
        try {
            while (bodyRead < bodyLength) {
                int n = channel.read(into);
                if (n < 0) {
                    throw new EOFException("the peer closed the stream after " + bodyRead + " of a " + bodyLength
                            + "-byte message");
                }
                if (n == 0) {
                    return INCOMPLETE;
                }
                bodyRead += n;
            }
        } finally {
            into.limit(limit);
        }
        int length = bodyLength;
        bodyLength = -1;
        bodyRead = 0;
        header.clear();
        MessageClock.ended(channel);
        return length;
    }

    /**
     * Whether part of a message has been read (a byte of its header or more) and the rest is awaited: what a server
     * checks to put a deadline on a client that sends slowly.
     */
    public boolean midMessage() {
        return header.position() > 0;
    }

    /** 0 once the header is complete and checked, else what {@link #read} returns. */
    private int readHeader(ReadableByteChannel channel) throws IOException {
        while (header.hasRemaining()) {
            boolean first = header.position() == 0;
            int n = channel.read(header);
            if (n > 0 && first) {
                MessageClock.started(channel);
            }
            if (n < 0) {
                if (header.position() == 0) {
                    return END_OF_STREAM;
                }
                throw new EOFException("the peer closed the stream after " + header.position() + " of "
                        + HEADER_BYTES + " length bytes");
            }
            if (n == 0) {
                return INCOMPLETE;
            }
        }
        long length = Integer.toUnsignedLong(header.getInt(0));
        if (length > maxFrameBytes) {
            MessageClock.ended(channel);
            throw new FrameTooLargeException("announced message", length, maxFrameBytes);
        }
        bodyLength = (int) length;
        bodyRead = 0;
        return 0;
    }
}
