package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.pipes.AnonymousPipe;
import io.github.ipcatlas.sockets.cli.SocketCommand;
import io.github.ipcatlas.sockets.peers.DescriptorReceiverPeer;
import io.github.ipcatlas.sockets.peers.FloodPeer;
import io.github.ipcatlas.sockets.peers.FramedClientPeer;

/** Two and more JVMs over real sockets, and what the survivor sees when a peer is killed. */
@Timeout(120)
class SocketCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private Path directory;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = SocketDirectory.create();
    }

    @AfterEach
    void removeDirectory() throws IOException {
        assertThat(SocketDirectory.remove(directory)).as("socket files left behind").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--tcp", "--unix"})
    void shouldEchoBytesBetweenTwoJvms(String transport) throws Exception {
        String where = transport.equals("--tcp") ? "0" : directory.resolve("echo.sock").toString();
        try (ChildProcess server = ChildJvm.builder(SocketCommand.class)
                .args("echo-server", transport, where, "--count", "1").quickStart().start()) {
            String listening = server.nextLine(DEADLINE);
            assertThat(listening).startsWith("listening on ");
            SocketAddress address = transport.equals("--tcp")
                    ? SocketAddresses.parse(listening.substring("listening on ".length()))
                    : UnixDomainSocketAddress.of(where);
            byte[] sent = new byte[200_000];
            new java.util.Random(7).nextBytes(sent);
            ByteBuffer received = ByteBuffer.allocate(sent.length + 1);
            try (SocketChannel channel = Connections.connect(address, DEADLINE)) {
                // Write and read at once: 200 KB exceeds the socket buffers, so a writer alone would stall.
                Thread writer = new Thread(() -> {
                    try {
                        channel.write(ByteBuffer.wrap(sent));
                        channel.shutdownOutput();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.start();
                while (channel.read(received) >= 0) {
                    assertThat(received.hasRemaining()).isTrue();
                }
                writer.join();
            }
            assertThat(java.util.Arrays.copyOf(received.array(), received.position())).isEqualTo(sent);
            assertThat(server.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldEchoDatagramsBetweenTwoJvms() throws Exception {
        try (ChildProcess server = ChildJvm.builder(SocketCommand.class)
                .args("echo-server", "--udp", "0", "--count", "3").quickStart().start();
             UdpSocket client = UdpSocket.bind(SocketAddresses.loopback(0))) {
            String listening = server.nextLine(DEADLINE);
            client.connect(SocketAddresses.parse(listening.substring("listening on ".length())));
            ByteBuffer reply = ByteBuffer.allocate(9000);
            for (int size : new int[] {1, 1400, 8000}) {
                ByteBuffer datagram = ByteBuffer.allocate(size);
                datagram.put(0, (byte) size);
                client.send(datagram);
                assertThat(client.receive(reply.clear())).isEqualTo(size);
                assertThat(reply.get(0)).isEqualTo((byte) size);
            }
            assertThat(server.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldServeManyClientJvmsFromOneSelectorThreadAccountingForEveryMessage() throws Exception {
        Path path = directory.resolve("selector.sock");
        int clients = 4;
        int requests = 500;
        try (SelectorServer server = SelectorServer.start(UnixDomainSocketAddress.of(path), 4096, 16,
                (request, response) -> {
                    while (request.hasRemaining()) {
                        response.put((byte) (request.get() + 1));
                    }
                })) {
            List<ChildProcess> children = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    children.add(ChildJvm.builder(FramedClientPeer.class)
                            .args("unix", path.toString(), String.valueOf(c), String.valueOf(requests))
                            .quickStart().start());
                }
                for (ChildProcess child : children) {
                    assertThat(child.finish(DEADLINE).stdout()).containsExactly("done " + requests);
                }
            } finally {
                children.forEach(ChildProcess::close);
            }
            assertThat(server.statistics().requests()).isEqualTo((long) clients * requests);
            assertThat(server.statistics().acceptedConnections()).isEqualTo(clients);
            assertThat(server.statistics().failedConnections()).isZero();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void shouldSeeEndOfStreamWhenAWritingPeerIsKilled() throws Exception {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0));
             ChildProcess peer = ChildJvm.builder(FloodPeer.class)
                     .args("tcp", SocketAddresses.format(server.address()), "write").quickStart().start();
             SocketChannel connection = server.accept()) {
            peer.awaitLine("streaming", DEADLINE);
            FrameReader reader = new FrameReader(1024);
            ByteBuffer frame = ByteBuffer.allocate(1024);
            assertThat(reader.read(connection, frame)).isEqualTo(1024);
            peer.kill(9);
            // Whatever was in flight is still delivered, then: EOF between frames, EOF inside one, or a reset.
            assertThatThrownBy(() -> {
                while (true) {
                    if (reader.read(connection, frame.clear()) == FrameReader.END_OF_STREAM) {
                        throw new EOFException("clean end of stream");
                    }
                }
            }).isInstanceOf(IOException.class);
            assertThat(peer.awaitExit(DEADLINE)).isEqualTo(128 + 9);
        }
    }

    @Test
    void shouldGetAClearErrorWhenWritingToAKilledReader() throws Exception {
        Path path = directory.resolve("killed.sock");
        try (ServerEndpoint server = ServerEndpoint.bind(UnixDomainSocketAddress.of(path));
             ChildProcess peer = ChildJvm.builder(FloodPeer.class).args("unix", path.toString(), "read")
                     .quickStart().start();
             SocketChannel connection = server.accept()) {
            peer.awaitLine("streaming", DEADLINE);
            FrameWriter writer = new FrameWriter(1024);
            writer.write(connection, ByteBuffer.allocate(1024));
            peer.kill(9);
            peer.awaitExit(DEADLINE);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    writer.write(connection, ByteBuffer.allocate(1024));
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
        }
    }

    @Test
    void shouldHandAPipeEndToAnotherJvm() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM);
             AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(DescriptorReceiverPeer.class).args("written by the child")
                     .inheritFd(pair.second(), 3).quickStart().start()) {
            pair.second().close();
            child.awaitLine("ready", DEADLINE);
            DescriptorPassing.send(pair.first(), ByteBuffer.wrap(new byte[] {1}), pipe.writeEnd());
            pipe.writeEnd().close(); // the child now holds the only write end
            ByteBuffer got = ByteBuffer.allocate(64);
            while (pipe.readEnd().read(got) >= 0) {
                assertThat(got.hasRemaining()).isTrue();
            }
            assertThat(StandardCharsets.UTF_8.decode(got.flip()).toString()).isEqualTo("written by the child");
            assertThat(child.finish(DEADLINE).exitCode()).isZero();
        }
    }
}
