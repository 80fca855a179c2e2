package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The channel a {@link BlockingServer} hands its handler: the accepted connection, to which everything is delegated,
 * plus the two clocks the server's deadlines read — since when the pending read or write has waited for the client,
 * and since when a message has been arriving ({@link FrameReader} and {@link DelimitedReader} say where messages
 * begin and end, through {@link MessageClock}). When a deadline passes, the server closes this channel, which wakes
 * the handler's blocked read or write with an {@link java.nio.channels.AsynchronousCloseException}.
 *
 * <p>For blocking use only: the JDK's selectors take only the JDK's own channels. The clocks are written by the
 * handler's thread and read by the server's deadline thread (volatile); keeping them allocates nothing.
 */
final class WatchedChannel extends SocketChannel implements MessageClock {
    /** A clock that is not running. */
    static final long STOPPED = Long.MIN_VALUE;

    private final SocketChannel channel;
    private volatile long waitingSince = STOPPED;
    private volatile long messageSince = STOPPED;
    private volatile boolean timedOut;

    WatchedChannel(SocketChannel channel) {
        super(channel.provider());
        this.channel = channel;
    }

    /** When the read or write in progress started ({@link System#nanoTime()}), or {@link #STOPPED}. */
    long waitingSince() {
        return waitingSince;
    }

    /** When the first byte of the message being read arrived, or {@link #STOPPED} between messages. */
    long messageSince() {
        return messageSince;
    }

    /** Marks this connection as closed by a deadline, so the handler's resulting exception is not a failure. */
    void markTimedOut() {
        timedOut = true;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** Who is at the other end, for messages. */
    String peerName() {
        return Connections.peerName(channel);
    }

    @Override
    public void messageStarted() {
        messageSince = System.nanoTime();
    }

    @Override
    public void messageEnded() {
        messageSince = STOPPED;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return channel.read(dst);
        } finally {
            waitingSince = STOPPED;
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return channel.read(dsts, offset, length);
        } finally {
            waitingSince = STOPPED;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return channel.write(src);
        } finally {
            waitingSince = STOPPED;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return channel.write(srcs, offset, length);
        } finally {
            waitingSince = STOPPED;
        }
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        channel.bind(local);
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        channel.shutdownInput();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        channel.shutdownOutput();
        return this;
    }

    @Override
    public Socket socket() {
        return channel.socket();
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public boolean isConnectionPending() {
        return channel.isConnectionPending();
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return channel.connect(remote);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        channel.close(); // wakes a thread blocked in read or write on it
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        channel.configureBlocking(block);
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
