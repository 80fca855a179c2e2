package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.sockets.peers.FramedClientPeer;

@Timeout(60)
class ServersTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);

    @Test
    void shouldServeManyClientsAtOnceOnAThreadEach() throws Exception {
        CountDownLatch allConnected = new CountDownLatch(8);
        java.util.concurrent.atomic.AtomicInteger sawAllEight = new java.util.concurrent.atomic.AtomicInteger();
        try (BlockingServer server = BlockingServer.start(SocketAddresses.loopback(0), connection -> {
            allConnected.countDown();
            // each handler holds its client until all eight handlers run: a server serving them one by one never
            // gets there, and the handlers that waited in vain are not counted
            try {
                if (allConnected.await(20, TimeUnit.SECONDS)) {
                    sawAllEight.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            FrameReader reader = new FrameReader(1024);
            FrameWriter writer = new FrameWriter(1024);
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            while (reader.read(connection, buffer.clear()) >= 0) {
                writer.write(connection, buffer.flip());
            }
        })) {
            List<CompletableFuture<Integer>> clients = new ArrayList<>();
            // a thread per client: the common pool may run them one at a time (one worker on two CPUs), and then
            // the first would wait for seven that never start
            java.util.concurrent.ExecutorService eight = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                for (int c = 0; c < 8; c++) {
                    int client = c;
                    clients.add(CompletableFuture.supplyAsync(() -> echoFrames(server.address(), client, 200), eight));
                }
                for (CompletableFuture<Integer> client : clients) {
                    assertThat(client.get(30, TimeUnit.SECONDS)).isEqualTo(200);
                }
            } finally {
                eight.shutdownNow();
            }
            assertThat(sawAllEight.get()).as("every handler ran while the seven others did").isEqualTo(8);
            assertThat(server.statistics().acceptedConnections()).isEqualTo(8);
            assertThat(server.statistics().failedConnections()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeConnections() == 0);
        }
    }

    @Test
    void shouldCloseConnectionsBeyondTheLimitAndCloseBlockedOnesOnShutdown() throws Exception {
        Path directory = ServerEndpoint.privateDirectory("t-uds-");
        Path path = directory.resolve("limited.sock");
        try {
            BlockingServer server = BlockingServer.builder(UnixDomainSocketAddress.of(path),
                    connection -> connection.read(ByteBuffer.allocate(1))).maxConnections(2).start();
            SocketChannel first = Connections.connect(server.address(), CONNECT);
            SocketChannel second = Connections.connect(server.address(), CONNECT);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeConnections() == 2);
            try (SocketChannel third = Connections.connect(server.address(), CONNECT)) {
                assertThat(third.read(ByteBuffer.allocate(1))).as("the over-limit client reads end of stream")
                        .isEqualTo(-1);
            }
            assertThat(server.statistics().rejectedConnections()).isEqualTo(1);

            server.close(); // the two handlers are blocked in read: close must wake them
            assertThat(server.activeConnections()).isZero();
            assertThat(first.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            assertThat(second.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            assertThat(path).doesNotExist();
            first.close();
            second.close();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(directory);
        }
    }

    @Test
    void shouldRecordAHandlerFailureAndKeepServing() throws Exception {
        try (BlockingServer server = BlockingServer.start(SocketAddresses.loopback(0), connection -> {
            ByteBuffer b = ByteBuffer.allocate(1);
            connection.read(b);
            if (b.get(0) == 'x') {
                throw new IOException("bad request");
            }
            connection.write(b.flip());
        })) {
            try (SocketChannel bad = Connections.connect(server.address(), CONNECT)) {
                bad.write(ByteBuffer.wrap(new byte[] {'x'}));
                assertThat(bad.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
            try (SocketChannel good = Connections.connect(server.address(), CONNECT)) {
                good.write(ByteBuffer.wrap(new byte[] {'y'}));
                ByteBuffer reply = ByteBuffer.allocate(1);
                good.read(reply);
                assertThat(reply.get(0)).isEqualTo((byte) 'y');
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.statistics().failedConnections() == 1);
            assertThat(server.statistics().lastFailure()).hasMessage("bad request");
        }
    }

    @Test
    void shouldAnswerEveryRequestOfEveryClientOnOneSelectorThread() throws Exception {
        try (SelectorServer server = SelectorServer.start(SocketAddresses.loopback(0), 4096, 64,
                (request, response) -> {
                    while (request.hasRemaining()) {
                        response.put((byte) (request.get() + 1));
                    }
                })) {
            List<CompletableFuture<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                clients.add(CompletableFuture.supplyAsync(() -> incrementFrames(server.address(), client, 300)));
            }
            for (CompletableFuture<Integer> client : clients) {
                assertThat(client.get(30, TimeUnit.SECONDS)).isEqualTo(300);
            }
            assertThat(server.statistics().requests()).isEqualTo(6 * 300);
            assertThat(server.statistics().acceptedConnections()).isEqualTo(6);
            assertThat(server.statistics().failedConnections()).isZero();
        }
    }

    @Test
    void shouldDropOnlyTheConnectionThatAnnouncesAnOversizedFrame() throws Exception {
        try (SelectorServer server = SelectorServer.start(SocketAddresses.loopback(0), 64, 8,
                (request, response) -> response.put(request))) {
            try (SocketChannel honest = Connections.connect(server.address(), CONNECT);
                 SocketChannel hostile = Connections.connect(server.address(), CONNECT)) {
                hostile.write(ByteBuffer.allocate(4).putInt(1 << 30).flip());
                assertThat(hostile.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                await().atMost(Duration.ofSeconds(5)).until(() -> server.statistics().failedConnections() == 1);
                assertThat(server.statistics().lastFailure()).isInstanceOf(FrameTooLargeException.class);

                FrameWriter writer = new FrameWriter(64);
                writer.write(honest, ByteBuffer.wrap("still here".getBytes()));
                ByteBuffer reply = ByteBuffer.allocate(64);
                assertThat(new FrameReader(64).read(honest, reply)).isEqualTo(10);
            }
        }
    }

    private static int echoFrames(java.net.SocketAddress address, int client, int count) {
        try (SocketChannel channel = Connections.connect(address, CONNECT)) {
            FrameWriter writer = new FrameWriter(1024);
            FrameReader reader = new FrameReader(1024);
            ByteBuffer out = ByteBuffer.allocate(1024);
            ByteBuffer in = ByteBuffer.allocate(1024);
            int ok = 0;
            for (int i = 0; i < count; i++) {
                out.clear().putInt(client).putInt(i).put(new byte[i % 300]).flip();
                writer.write(channel, out);
                int length = reader.read(channel, in.clear());
                if (length == out.limit() && in.getInt(0) == client && in.getInt(4) == i) {
                    ok++;
                }
            }
            return ok;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int incrementFrames(java.net.SocketAddress address, int client, int count) {
        try (SocketChannel channel = Connections.connect(address, CONNECT)) {
            return FramedClientPeer.exchange(channel, client, count);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
