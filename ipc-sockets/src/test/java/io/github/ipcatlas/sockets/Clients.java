package io.github.ipcatlas.sockets;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;

/** Client-side helpers for the server tests: every read has a deadline, and "the server closed us" is a result. */
final class Clients {
    /** What {@link #readFrame} returns when the server closed the connection (end of stream or a reset). */
    static final int CLOSED = -1;

    private Clients() {
    }

    static SocketChannel connect(SocketAddress address) throws IOException {
        return Connections.connect(address, Duration.ofSeconds(10));
    }

    /** Sends {@code text} as one frame and returns the reply frame's text, waiting at most {@code timeout}. */
    static String ask(SocketChannel channel, String text, Duration timeout) throws IOException {
        writeFrame(channel, text.getBytes(StandardCharsets.UTF_8));
        ByteBuffer reply = ByteBuffer.allocate(64 * 1024);
        int length = readFrame(channel, reply, timeout);
        if (length == CLOSED) {
            throw new EOFException("the server closed the connection instead of answering \"" + text + "\"");
        }
        return StandardCharsets.UTF_8.decode(reply.flip()).toString();
    }

    /** Writes {@code body} as one length-prefixed frame (blocking). */
    static void writeFrame(SocketChannel channel, byte[] body) throws IOException {
        new FrameWriter(Integer.MAX_VALUE).write(channel, ByteBuffer.wrap(body));
    }

    /** Writes a frame header announcing {@code length} bytes, and the first {@code sent} of them: a partial frame. */
    static void writePartialFrame(SocketChannel channel, int length, int sent) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(4 + sent).putInt(length);
        writeFully(channel, bytes.position(4 + sent).flip());
    }

    static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads one frame into {@code into}, waiting at most {@code timeout}.
     *
     * @return its length, or {@link #CLOSED} when the server closed the connection
     * @throws IpcTimeoutException when neither happened in time
     */
    static int readFrame(SocketChannel channel, ByteBuffer into, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        FrameReader reader = new FrameReader(into.remaining());
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int length;
                try {
                    length = reader.read(channel, into);
                } catch (EOFException | SocketException closed) { // closed mid-frame, or reset (unread data)
                    return CLOSED;
                }
                if (length != FrameReader.INCOMPLETE) {
                    return length == FrameReader.END_OF_STREAM ? CLOSED : length;
                }
                if (deadline.expired()) {
                    throw new IpcTimeoutException("reading a reply on " + channel, timeout);
                }
                selector.select(Math.max(1, deadline.remainingMillis()));
            }
        } finally {
            if (channel.isOpen()) {
                channel.configureBlocking(true); // the selector is closed, so the key is gone
            }
        }
    }

    /**
     * Opens {@code count} connections that each send part of a {@code length}-byte frame (its header and one byte),
     * so that the server must keep each unfinished message somewhere.
     */
    static java.util.List<SocketChannel> unfinishedMessages(SocketAddress address, int count, int length)
            throws IOException {
        java.util.List<SocketChannel> clients = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel client = connect(address);
            clients.add(client);
            writePartialFrame(client, length, 1);
        }
        return clients;
    }

    /**
     * Sends the rest of each unfinished message of {@link #unfinishedMessages} whose connection is still open, and
     * checks the server echoes it whole.
     *
     * @return how many connections it served
     */
    static int finishAndExpectEchoes(java.util.List<SocketChannel> clients, int length, Duration timeout)
            throws IOException {
        int served = 0;
        for (SocketChannel client : clients) {
            if (!closedByServer(client)) {
                writeFully(client, ByteBuffer.allocate(length - 1));
                if (readFrame(client, ByteBuffer.allocate(length), timeout) != length) {
                    throw new EOFException("no echo of the " + length + "-byte message on " + client);
                }
                served++;
            }
        }
        return served;
    }

    /** Whether the server has closed {@code channel}, without waiting: end of stream, or a reset. */
    static boolean closedByServer(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            ByteBuffer one = ByteBuffer.allocate(1);
            int n;
            while ((n = channel.read(one.clear())) > 0) {
                // the server's bytes are not what this asks about
            }
            channel.configureBlocking(true);
            return n < 0;
        } catch (IOException reset) {
            return true;
        }
    }
}
