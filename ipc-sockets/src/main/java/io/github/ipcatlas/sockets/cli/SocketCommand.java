package io.github.ipcatlas.sockets.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.sockets.BlockingServer;
import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.SocketAddresses;
import io.github.ipcatlas.sockets.UdpSocket;
import io.github.ipcatlas.sockets.UnixAddress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc-atlas socket echo-server|send}: raw bytes over TCP, UDP and Unix domain sockets, from the shell. */
@Command(name = "socket", mixinStandardHelpOptions = true,
        description = "An echo server and a client for TCP, UDP and Unix domain sockets (raw bytes, no framing).",
        subcommands = {SocketCommand.EchoServer.class, SocketCommand.Send.class})
public final class SocketCommand {

    /** Runs {@code socket} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new SocketCommand(), args);
    }

    /** Exactly one transport. */
    static final class Transport {
        @Option(names = "--unix", paramLabel = "PATH|@NAME", required = true,
                description = "a Unix domain stream socket: a path, or @NAME in the abstract namespace (no file)")
        String unix;

        @Option(names = "--tcp", paramLabel = "[HOST:]PORT", required = true,
                description = "TCP; a bare port means loopback")
        String tcp;

        @Option(names = "--udp", paramLabel = "[HOST:]PORT", required = true,
                description = "UDP; a bare port means loopback")
        String udp;

        /** The abstract Unix name given, or null for a path or an IP transport. */
        UnixAddress abstractName() {
            return unix != null && unix.startsWith("@") ? UnixAddress.parse(unix) : null;
        }

        /** A path or TCP address, which the JDK's channels reach. */
        SocketAddress streamAddress() {
            return unix != null ? SocketAddresses.unix(Path.of(unix)) : SocketAddresses.parse(tcp);
        }
    }

    @Command(name = "echo-server", mixinStandardHelpOptions = true,
            description = {"Print 'listening on ADDRESS', then echo every byte back until each client closes.",
                    "UDP: echo each datagram to its sender."})
    static final class EchoServer implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Transport transport;

        @Option(names = "--count", paramLabel = "N",
                description = {"exit after N connections that sent something (UDP: N datagrams); default: serve "
                        + "until killed", "A connection that closes without a byte (another server probing a Unix "
                        + "socket file to see whether it is stale, a port scan) does not count."})
        Integer count;

        @Override
        public Integer call() throws Exception {
            if (count != null && count < 1) {
                throw new IllegalArgumentException("--count " + count + " must be at least 1");
            }
            PrintStream out = System.out;
            if (transport.udp != null) {
                return serveUdp(out);
            }
            UnixAddress abstractName = transport.abstractName();
            if (abstractName != null) {
                return AbstractEcho.serve(abstractName, count, out);
            }
            CountDownLatch done = new CountDownLatch(count == null ? Integer.MAX_VALUE : count);
            try (BlockingServer server = BlockingServer.start(transport.streamAddress(), connection -> {
                boolean[] spoke = {false};
                try {
                    echo(connection, spoke);
                } finally {
                    if (spoke[0]) {
                        done.countDown();
                    }
                }
            })) {
                out.println("listening on " + SocketAddresses.format(server.address()));
                out.flush();
                done.await();
            }
            return 0;
        }

        private int serveUdp(PrintStream out) throws IOException {
            try (UdpSocket socket = UdpSocket.bind(SocketAddresses.parse(transport.udp))) {
                out.println("listening on " + SocketAddresses.format(socket.localAddress()));
                out.flush();
                ByteBuffer datagram = ByteBuffer.allocateDirect(UdpSocket.MAX_DATAGRAM_BYTES);
                for (long served = 0; count == null || served < count; served++) {
                    SocketAddress sender = socket.receiveFrom(datagram.clear());
                    socket.send(datagram.flip(), sender);
                }
            }
            return 0;
        }

        /** Echoes until the client closes, setting {@code spoke[0]} once it has sent something. */
        private static void echo(SocketChannel connection, boolean[] spoke) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (connection.read(buffer.clear()) >= 0) {
                buffer.flip();
                spoke[0] |= buffer.hasRemaining();
                while (buffer.hasRemaining()) {
                    connection.write(buffer);
                }
            }
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Send TEXT and a newline, shut down the sending side, and print what comes back until "
                    + "the peer closes.", "UDP: send one datagram and print the one datagram that answers."})
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Transport transport;

        @Parameters(paramLabel = "TEXT")
        String text;

        @Option(names = {"-n", "--no-newline"}, description = "do not add a newline")
        boolean noNewline;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
        Long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            ByteBuffer message = ByteBuffer.wrap((noNewline ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
            PrintStream out = System.out;
            if (transport.udp != null) {
                InetSocketAddress target = SocketAddresses.parse(transport.udp);
                try (UdpSocket socket = UdpSocket.bind(new InetSocketAddress(
                        target.getAddress().isLoopbackAddress() ? target.getAddress() : null, 0))) {
                    socket.send(message, target);
                    ByteBuffer reply = ByteBuffer.allocate(UdpSocket.MAX_DATAGRAM_BYTES);
                    if (socket.receiveFrom(reply, timeout) == null) {
                        throw new IpcTimeoutException("receive(udp " + target + ")", timeout);
                    }
                    out.write(reply.array(), 0, reply.position());
                }
            } else if (transport.abstractName() != null) {
                AbstractEcho.send(transport.abstractName(), message, timeout, out);
            } else {
                SocketAddress address = transport.streamAddress();
                try (SocketChannel channel = Connections.connect(address, timeout)) {
                    while (message.hasRemaining()) {
                        channel.write(message);
                    }
                    channel.shutdownOutput(); // the peer reads end of stream and knows we are done
                    printUntilEnd(channel, timeout, out);
                }
            }
            out.flush();
            return 0;
        }

        private static void printUntilEnd(SocketChannel channel, Duration timeout, PrintStream out)
                throws IOException {
            // A channel read has no timeout (and Unix channels have no socket adaptor): wait in a selector.
            Deadline deadline = Deadline.after(timeout);
            channel.configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (true) {
                    int n = channel.read(buffer.clear());
                    if (n < 0) {
                        return;
                    }
                    out.write(buffer.array(), 0, n);
                    if (deadline.expired()) { // whatever came: a server that never stops sending must not keep us
                        out.flush();
                        throw new IpcTimeoutException("read(" + channel.getRemoteAddress()
                                + "): the peer did not close, so it", timeout);
                    }
                    if (n == 0) {
                        selector.select(Math.max(1, deadline.remainingMillis()));
                    }
                }
            }
        }
    }
}
