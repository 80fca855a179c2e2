package io.github.ipcatlas.sockets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads messages that end with a delimiter byte (a newline, usually): the framing of text protocols such as SMTP or
 * Redis' inline commands. Bytes after a delimiter are kept for the next message, so it does not matter how the
 * kernel split or joined them. A message longer than the limit is refused, however it arrives — in one read with its
 * delimiter, or a byte at a time — because the delimiter is looked for only within the first
 * {@code maxMessageBytes + 1} bytes: a peer that never sends a newline cannot make us buffer without bound.
 *
 * <p>Works on blocking and non-blocking channels (see {@link FrameReader#INCOMPLETE}); on a {@link BlockingServer}
 * connection it tells the server where messages begin and end, for its message timeout. Not thread-safe. The one
 * internal buffer ({@code maxMessageBytes + 1} bytes, at least 4 KiB) is allocated at construction.
 */
public final class DelimitedReader {
    private final byte delimiter;
    private final int maxMessageBytes;
    /** Bytes received and not yet returned, in read mode between calls. */
    private final ByteBuffer pending;
    /** How far {@link #pending} was already searched for the delimiter. */
    private int scanned;

    /**
     * @param delimiter the byte that ends each message (not part of it)
     * @param maxMessageBytes the longest message accepted, delimiter excluded
     */
    public DelimitedReader(byte delimiter, int maxMessageBytes) {
        if (maxMessageBytes < 0 || maxMessageBytes > Integer.MAX_VALUE - 8192) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " is out of range");
        }
        this.delimiter = delimiter;
        this.maxMessageBytes = maxMessageBytes;
        this.pending = ByteBuffer.allocateDirect(Math.max(maxMessageBytes + 1, 4096)).flip();
    }

    /**
     * Copies the next message, without its delimiter, into {@code into}.
     *
     * @return its length; {@link FrameReader#END_OF_STREAM} at a clean end (nothing pending);
     *     {@link FrameReader#INCOMPLETE} when a non-blocking channel has no more bytes for now
     * @throws FrameTooLargeException when more than the maximum arrived without a delimiter (the stream is out of
     *     step afterwards: close it)
     * @throws EOFException when the stream ends in the middle of a message (no final delimiter)
     * @throws IllegalArgumentException when the message does not fit in {@code into} (it stays pending)
     */
    public int read(ReadableByteChannel channel, ByteBuffer into) throws IOException {
        while (true) {
            int end = findDelimiter();
            if (end >= 0) {
                int length = take(end, into);
                if (pending.hasRemaining()) {
                    MessageClock.started(channel); // the next message has begun already
                } else {
                    MessageClock.ended(channel);
                }
                return length;
            }
            if (pending.remaining() > maxMessageBytes) {
                throw new FrameTooLargeException("message without a delimiter", pending.remaining(),
                        maxMessageBytes);
            }
            boolean first = !pending.hasRemaining();
            pending.compact();
            int n;
            try {
                n = channel.read(pending);
            } finally {
                pending.flip();
            }
            if (n > 0 && first) {
                MessageClock.started(channel);
            }
            if (n < 0) {
                if (!pending.hasRemaining()) {
                    return FrameReader.END_OF_STREAM;
                }
                throw new EOFException("the peer closed the stream in the middle of a message (" + pending.remaining()
                        + " bytes without a delimiter)");
            }
            if (n == 0) {
                return FrameReader.INCOMPLETE;
            }
        }
    }

    /** The delimiter's index within the first {@code maxMessageBytes + 1} pending bytes, or -1. */
    private int findDelimiter() {
        int end = (int) Math.min(pending.limit(), (long) pending.position() + maxMessageBytes + 1);
        for (int i = pending.position() + scanned; i < end; i++) {
            if (pending.get(i) == delimiter) {
                return i;
            }
        }
        scanned = end - pending.position();
        return -1;
    }

    private int take(int end, ByteBuffer into) {
        int length = end - pending.position();
        if (length > into.remaining()) {
            throw new IllegalArgumentException("a " + length + "-byte message does not fit in the "
                    + into.remaining() + " bytes left in the buffer");
        }
        int limit = pending.limit();
        into.put(pending.limit(end));
        pending.limit(limit).position(end + 1);
        scanned = 0;
        return length;
    }
}
