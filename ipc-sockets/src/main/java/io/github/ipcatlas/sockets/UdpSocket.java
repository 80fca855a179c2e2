package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A UDP socket that keeps what UDP promises and says what it does not.
 *
 * <p><b>Boundaries, kept.</b> Each {@code send} is one datagram and each {@code receive} returns exactly one.
 * <b>Truncation, detected.</b> The JDK silently cuts a datagram to the buffer it is given; here every datagram is
 * received into an internal 64 KiB buffer (the largest UDP payload is 65,507 bytes over IPv4) and copied out, so a
 * datagram larger than the caller's buffer raises {@link DatagramTruncatedException} with its real size.
 * <b>Loss, reordering, duplication: not handled.</b> Datagrams that do not fit the receiver's socket buffer are
 * dropped without a word (counted in {@code /proc/net/snmp} {@code RcvbufErrors}), and across a network they may
 * arrive out of order or twice. Protocols on UDP number their messages and retransmit.
 *
 * <p>Connected use ({@link #connect}) is the fast path: {@code send}/{@code receive} without addresses allocate
 * nothing, and datagrams from other senders are filtered out by the kernel.
 *
 * <p>Not thread-safe for receiving (one internal buffer); sends may come from any thread. {@link #close()} is
 * idempotent and wakes a thread blocked in {@code receive}.
 */
public final class UdpSocket implements AutoCloseable {
    /** The largest datagram this socket can receive whole: the UDP maximum rounded up. */
    public static final int MAX_DATAGRAM_BYTES = 65_536;

    private final DatagramChannel channel;
    private final ByteBuffer incoming = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
    private DatagramPacket timedPacket;

    private UdpSocket(DatagramChannel channel) {
        this.channel = channel;
    }

    /** A socket bound to {@code local} (port 0: any free port); see {@link SocketAddresses#loopback}. */
    public static UdpSocket bind(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        DatagramChannel channel = DatagramChannel.open(SocketAddresses.family(local));
        try {
            channel.bind(local);
            return new UdpSocket(channel);
        } catch (java.net.BindException e) {
            channel.close();
            throw ServerEndpoint.withAddress(e, "bind(udp " + local + ") failed: address in use (EADDRINUSE)");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Only datagrams from {@code remote} are received from now on, and {@link #send} goes there. */
    public UdpSocket connect(InetSocketAddress remote) throws IOException {
        channel.connect(Objects.requireNonNull(remote, "remote"));
        return this;
    }

    /** Sends {@code datagram}'s remaining bytes as one datagram to the connected peer. */
    public void send(ByteBuffer datagram) throws IOException {
        checkSize(datagram);
        channel.write(datagram);
    }

    /** Sends {@code datagram}'s remaining bytes as one datagram to {@code target}. */
    public void send(ByteBuffer datagram, SocketAddress target) throws IOException {
        checkSize(datagram);
        channel.send(datagram, target);
    }

    /**
     * Receives one datagram from the connected peer into {@code into}, blocking.
     *
     * @return its length
     * @throws DatagramTruncatedException if it was longer than {@code into.remaining()} (the prefix is in
     *     {@code into})
     */
    public int receive(ByteBuffer into) throws IOException {
        channel.read(incoming.clear());
        return copyOut(incoming.flip(), into);
    }

    /**
     * Receives one datagram from anyone, blocking, and returns the sender (an address object per datagram: use the
     * connected {@link #receive(ByteBuffer)} on hot paths). The datagram's length is how far {@code into} advanced.
     *
     * @throws DatagramTruncatedException as {@link #receive(ByteBuffer)}
     */
    public SocketAddress receiveFrom(ByteBuffer into) throws IOException {
        SocketAddress sender = channel.receive(incoming.clear());
        copyOut(incoming.flip(), into);
        return sender;
    }

    /**
     * Receives one datagram with a deadline.
     *
     * @return the sender, or {@code null} when nothing arrived within {@code timeout}
     * @throws DatagramTruncatedException as {@link #receive(ByteBuffer)}
     */
    public SocketAddress receiveFrom(ByteBuffer into, Duration timeout) throws IOException {
        long millis = Math.max(1, timeout.toMillis());
        if (timedPacket == null) {
            timedPacket = new DatagramPacket(new byte[MAX_DATAGRAM_BYTES], MAX_DATAGRAM_BYTES);
        }
        // The socket adaptor has the timed receive the channel lacks; the channel stays in blocking mode.
        channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
        try {
            timedPacket.setLength(MAX_DATAGRAM_BYTES);
            channel.socket().receive(timedPacket);
        } catch (SocketTimeoutException timedOut) {
            return null;
        } finally {
            channel.socket().setSoTimeout(0);
        }
        copyOut(ByteBuffer.wrap(timedPacket.getData(), 0, timedPacket.getLength()), into);
        return timedPacket.getSocketAddress();
    }

    /** The underlying channel, for options such as {@code SO_RCVBUF}. */
    public DatagramChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int copyOut(ByteBuffer datagram, ByteBuffer into) throws DatagramTruncatedException {
        int length = datagram.remaining();
        if (length > into.remaining()) {
            int room = into.remaining();
            into.put(datagram.limit(datagram.position() + room));
            throw new DatagramTruncatedException(length, room);
        }
        into.put(datagram);
        return length;
    }

    private static void checkSize(ByteBuffer datagram) {
        if (datagram.remaining() > 65_507) {
            throw new IllegalArgumentException("a " + datagram.remaining() + "-byte datagram exceeds the UDP "
                    + "maximum of 65507 bytes (IPv4)");
        }
    }

    @Override
    public String toString() {
        return "udp socket " + channel;
    }
}
