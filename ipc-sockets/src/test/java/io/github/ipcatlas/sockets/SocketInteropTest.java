package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;

/** Our sockets against python3's {@code socket} module: the same kernel objects, spoken to by a stranger. */
@Timeout(60)
class SocketInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A length-prefixed client in python: our framing is just 4 big-endian bytes and the body. */
    private static final String PYTHON_FRAMED_CLIENT = """
            import socket, struct, sys
            family = socket.AF_UNIX if sys.argv[1] == 'unix' else socket.AF_INET
            s = socket.socket(family, socket.SOCK_STREAM)
            s.connect(sys.argv[2] if sys.argv[1] == 'unix' else ('127.0.0.1', int(sys.argv[2])))
            def recv_exactly(n):
                data = b''
                while len(data) < n:
                    chunk = s.recv(n - len(data))
                    if not chunk:
                        raise EOFError('server closed')
                    data += chunk
                return data
            for text in ['hello', 'from', 'python']:
                body = text.encode()
                s.sendall(struct.pack('>I', len(body)) + body)
                (length,) = struct.unpack('>I', recv_exactly(4))
                print(recv_exactly(length).decode())
            s.shutdown(socket.SHUT_WR)
            print('eof' if s.recv(1) == b'' else 'more')
            """;

    @Test
    void shouldServeAPythonClientOverTcp() throws Exception {
        try (BlockingServer server = BlockingServer.start(SocketAddresses.loopback(0), SocketInteropTest::upperCase);
             ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_FRAMED_CLIENT, "tcp",
                     String.valueOf(((java.net.InetSocketAddress) server.address()).getPort())).start()) {
            ChildProcess.Outcome outcome = python.finish(DEADLINE);
            assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("HELLO", "FROM", "PYTHON", "eof");
        }
    }

    @Test
    void shouldServeAPythonClientOverAUnixSocket() throws Exception {
        Path directory = ServerEndpoint.privateDirectory("t-uds-");
        Path path = directory.resolve("py.sock");
        try {
            try (BlockingServer server = BlockingServer.start(UnixDomainSocketAddress.of(path),
                    SocketInteropTest::upperCase);
                 ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_FRAMED_CLIENT, "unix",
                         path.toString()).start()) {
                ChildProcess.Outcome outcome = python.finish(DEADLINE);
                assertThat(outcome.stdout()).as(outcome.stderr())
                        .containsExactly("HELLO", "FROM", "PYTHON", "eof");
            }
            assertThat(path).doesNotExist();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(directory);
        }
    }

    @Test
    void shouldReadTheSeedServerWrittenInPython() throws Exception {
        // The write-up's server, unchanged but for port 0 and a line saying which port it got.
        String seedServer = """
                import socket

                server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                server.bind(('localhost', 0))
                server.listen(1)
                print(server.getsockname()[1], flush=True)
                client, addr = server.accept()
                client.send(b"Hello from server")
                client.close()
                """;
        try (ChildProcess python = ChildProcess.builder("python3", "-c", seedServer).start()) {
            int port = Integer.parseInt(python.nextLine(DEADLINE).trim());
            try (SocketChannel channel = Connections.connect(SocketAddresses.loopback(port), DEADLINE)) {
                ByteBuffer received = ByteBuffer.allocate(100);
                while (channel.read(received) >= 0) {
                    assertThat(received.hasRemaining()).isTrue();
                }
                assertThat(StandardCharsets.UTF_8.decode(received.flip()).toString()).isEqualTo("Hello from server");
            }
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldExchangeDatagramsWithPython() throws Exception {
        String udpEcho = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('127.0.0.1', 0))
                print(s.getsockname()[1], flush=True)
                for _ in range(2):
                    data, sender = s.recvfrom(65536)
                    s.sendto(data[::-1], sender)
                """;
        try (ChildProcess python = ChildProcess.builder("python3", "-c", udpEcho).start();
             UdpSocket socket = UdpSocket.bind(SocketAddresses.loopback(0))) {
            socket.connect(SocketAddresses.loopback(Integer.parseInt(python.nextLine(DEADLINE).trim())));
            ByteBuffer reply = ByteBuffer.allocate(16);
            socket.send(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
            assertThat(socket.receive(reply)).isEqualTo(3);
            assertThat(new String(reply.array(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("cba");
            socket.send(ByteBuffer.wrap(new byte[100]));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> socket.receive(reply.clear())))
                    .isInstanceOf(DatagramTruncatedException.class);
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldHandADescriptorToPython() throws Exception {
        String receiver = """
                import os, socket
                s = socket.socket(fileno=3)
                msg, fds, flags, addr = socket.recv_fds(s, 16, 1)
                os.write(fds[0], b'python wrote this')
                print('received', len(fds), 'descriptor with', msg)
                """;
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM);
             io.github.ipcatlas.pipes.AnonymousPipe pipe = io.github.ipcatlas.pipes.AnonymousPipe.open();
             ChildProcess python = ChildProcess.builder("python3", "-c", receiver)
                     .inheritFd(pair.second(), 3).start()) {
            pair.second().close();
            DescriptorPassing.send(pair.first(), ByteBuffer.wrap("x".getBytes(StandardCharsets.US_ASCII)),
                    pipe.writeEnd());
            pipe.writeEnd().close();
            ChildProcess.Outcome outcome = python.finish(DEADLINE);
            assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("received 1 descriptor with b'x'");
            ByteBuffer got = ByteBuffer.allocate(64);
            while (pipe.readEnd().read(got) >= 0) {
                assertThat(got.hasRemaining()).isTrue();
            }
            assertThat(StandardCharsets.US_ASCII.decode(got.flip()).toString()).isEqualTo("python wrote this");
        }
    }

    private static void upperCase(SocketChannel connection) throws IOException {
        FrameReader reader = new FrameReader(1024);
        FrameWriter writer = new FrameWriter(1024);
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (reader.read(connection, buffer.clear()) >= 0) {
            String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString().toUpperCase();
            writer.write(connection, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
