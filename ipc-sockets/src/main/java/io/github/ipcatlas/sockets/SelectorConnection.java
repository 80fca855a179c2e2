package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * One client of a {@link SelectorServer}: its decoder and encoder, the buffer it holds while part of a request or
 * an unsent response is in it (lent by the server's {@link BufferPool}, given back between messages), and where it is
 * in its conversation, for its deadline. Used only on the selector thread; allocates nothing per message.
 */
final class SelectorConnection {
    /** Where a connection is in its conversation, and which deadline applies. */
    private enum Phase {
        IDLE("waiting for a request from %s (idleTimeout)"),
        RECEIVING("receiving a request from %s (messageTimeout)"),
        SENDING("sending a response to %s (messageTimeout)");

        private final String description;

        Phase(String description) {
            this.description = description;
        }
    }

    private final SelectorServer server;
    private final SelectionKey key;
    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;
    /** Lent by the pool while this connection holds part of a request or an unsent response; else null. */
    private ByteBuffer buffer;
    private Phase phase = Phase.IDLE;
    private long phaseSince;

    SelectorConnection(SelectorServer server, SelectionKey key, SocketChannel channel, long now) {
        this.server = server;
        this.key = key;
        this.channel = channel;
        this.reader = new FrameReader(server.maxFrameBytes());
        this.writer = new FrameWriter(server.maxFrameBytes());
        this.phaseSince = now;
    }

    /**
     * Answers complete requests until the socket has no more, a response cannot go out, or the turn
     * ({@link SelectorServer#REQUESTS_PER_TURN} requests) is up: the socket stays readable, so the selector comes
     * back to it after the other ready connections had theirs.
     *
     * @return {@code false} when the client closed between requests
     * @throws IOException when no buffer is to be had, or the client broke the protocol (the caller closes)
     */
    boolean serve(long now) throws IOException {
        boolean answered = false;
        for (int i = 0; i < SelectorServer.REQUESTS_PER_TURN; i++) {
            if (buffer == null) {
                buffer = server.pool().take();
            }
            int length = reader.read(channel, buffer);
            if (length == FrameReader.INCOMPLETE) {
                break;
            }
            if (length == FrameReader.END_OF_STREAM) {
                return false;
            }
            buffer = server.answer(buffer.flip());
            writer.begin(buffer);
            answered = true;
            if (!flush(now)) {
                break;
            }
        }
        if (buffer != null && !writer.pending() && buffer.position() == 0) {
            giveBack(); // at most a header has arrived, and the reader keeps that itself
        }
        Phase next = writer.pending() ? Phase.SENDING : reader.midMessage() ? Phase.RECEIVING : Phase.IDLE;
        if (next != phase || answered) {
            phase = next;
            phaseSince = now;
        }
        return true;
    }

    /** Writes the pending response; while it cannot finish, waits for OP_WRITE instead of reading. */
    boolean flush(long now) throws IOException {
        if (!writer.flush(channel)) {
            key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
        if (buffer != null) {
            giveBack();
        }
        if (key.interestOps() != SelectionKey.OP_READ) {
            key.interestOps(SelectionKey.OP_READ);
            phase = Phase.IDLE; // the client has taken its answer
            phaseSince = now;
        }
        return true;
    }

    /** The deadline that has passed by {@code now}, or null. */
    IpcTimeoutException expired(long now) {
        Timeouts timeouts = server.timeouts();
        long limit = phase == Phase.IDLE ? timeouts.idleNanos : timeouts.messageNanos;
        if (limit == 0 || now - phaseSince <= limit) {
            return null;
        }
        return new IpcTimeoutException(String.format(phase.description, Connections.peerName(channel)),
                phase == Phase.IDLE ? timeouts.idle : timeouts.message);
    }

    /** Gives back the buffer, if any: the connection is closing. */
    void release() {
        if (buffer != null) {
            giveBack();
        }
    }

    private void giveBack() {
        server.pool().give(buffer);
        buffer = null;
    }
}
