package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.peers.FloodPeer;

/**
 * What a hostile client can do to the servers, and what it must not achieve: starve the others, hold slots by idling
 * or trickling, make the server allocate without bound, kill its loop unnoticed. Hostile clients are a client JVM, a
 * python3 process, or plain sockets; every wait has a deadline, and no verdict depends on speed.
 */
@Timeout(90)
class HostileClientTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @Test
    void shouldAnswerAnotherClientWhileOneFloodsTheSelectorWithPipelinedFrames() throws Exception {
        try (SelectorServer server = SelectorServer.start(SocketAddresses.loopback(0), 64, 8,
                (request, response) -> response.put(request));
             ChildProcess flooder = ChildJvm.builder(FloodPeer.class)
                     .args("tcp", SocketAddresses.format(server.address()), "pipeline").quickStart().start()) {
            flooder.awaitLine("streaming", GENEROUS);
            await().atMost(GENEROUS).until(() -> server.statistics().requests() > 50_000); // the flood is on
            try (SocketChannel honest = Clients.connect(server.address())) {
                CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Clients.ask(honest, "still there?", GENEROUS);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                await().atMost(GENEROUS).until(reply::isDone);
                assertThat(reply.join()).isEqualTo("still there?");
            }
            assertThat(flooder.isAlive()).as("the flood went on all along").isTrue();
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatFindsTheBufferBudgetSpent() throws Exception {
        // A spare buffer and two for messages: three unfinished messages at once do not fit.
        try (SelectorServer server = SelectorServer.builder(SocketAddresses.loopback(0),
                (request, response) -> response.put(request)).maxFrameBytes(1024).bufferBudget(3 * 1024).start()) {
            List<SocketChannel> clients = Clients.unfinishedMessages(server.address(), 3, 1000);
            try {
                await().atMost(GENEROUS).until(() -> clients.stream().anyMatch(Clients::closedByServer));
                assertThat(Clients.finishAndExpectEchoes(clients, 1000, GENEROUS)).isEqualTo(2);
                assertThat(server.statistics().failedConnections()).isEqualTo(1);
                assertThat(server.statistics().lastFailure()).hasMessageContaining("buffer budget of 3072 bytes");
                try (SocketChannel later = Clients.connect(server.address())) {
                    assertThat(Clients.ask(later, "the buffers came back", GENEROUS))
                            .isEqualTo("the buffers came back");
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    /** Connects, then sends a 1000-byte frame one byte every 50 ms, header included; ends by itself after 60 s. */
    private static final String PYTHON_TRICKLER = """
            import socket, struct, sys, time
            s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
            message = struct.pack('>I', 1000) + b'x' * 1000
            print('trickling', flush=True)
            sent = 0
            try:
                for byte in message[:1200]:
                    s.sendall(bytes([byte]))
                    sent += 1
                    time.sleep(0.05)
                print('never closed; sent', sent, flush=True)
            except OSError as e:
                print('closed after', sent, 'bytes:', type(e).__name__, flush=True)
            """;

    @Test
    void shouldCloseIdleAndTricklingConnectionsOfASelectorServerSoTheyCannotHoldEverySlot() throws Exception {
        try (SelectorServer server = SelectorServer.builder(SocketAddresses.loopback(0),
                (request, response) -> response.put(request)).maxConnections(2)
                .idleTimeout(Duration.ofMillis(300)).messageTimeout(Duration.ofMillis(600)).start()) {
            assertIdlerAndTricklerAreClosed(server.address(), server.statistics());
        }
    }

    @Test
    void shouldCloseIdleAndTricklingConnectionsOfABlockingServerSoTheyCannotHoldEverySlot() throws Exception {
        try (BlockingServer server = BlockingServer.builder(SocketAddresses.loopback(0), HostileClientTest::echo)
                .maxConnections(2).idleTimeout(Duration.ofMillis(300)).messageTimeout(Duration.ofMillis(600))
                .start()) {
            assertIdlerAndTricklerAreClosed(server.address(), server.statistics());
            await().atMost(GENEROUS).until(() -> server.activeConnections() == 0);
        }
    }

    /** Fills both slots with a client that sends nothing and one that trickles, and expects both closed. */
    private static void assertIdlerAndTricklerAreClosed(java.net.SocketAddress address, ServerStatistics statistics)
            throws Exception {
        try (SocketChannel idler = Clients.connect(address);
             ChildProcess trickler = python(PYTHON_TRICKLER, ((InetSocketAddress) address).getPort())) {
            trickler.awaitLine("trickling", GENEROUS);
            await().atMost(GENEROUS).until(() -> Clients.closedByServer(idler));
            assertThat(trickler.nextLine(GENEROUS)).startsWith("closed after");
            await().atMost(GENEROUS).until(() -> statistics.timedOutConnections() == 2);
            assertThat(statistics.lastFailure()).isInstanceOf(IpcTimeoutException.class)
                    .hasMessageContaining("Timeout) timed out after");
            assertThat(statistics.failedConnections()).isZero();
        }
        try (SocketChannel honest = Clients.connect(address)) {
            assertThat(Clients.ask(honest, "a free slot", GENEROUS)).isEqualTo("a free slot");
        }
    }

    private static void echo(SocketChannel connection) throws java.io.IOException {
        FrameReader reader = new FrameReader(4096);
        FrameWriter writer = new FrameWriter(4096);
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        while (reader.read(connection, buffer.clear()) >= 0) {
            writer.write(connection, buffer.flip());
        }
    }

    @Test
    void shouldRecordAnErrorThatEndsTheSelectorLoopAndRefuseLaterClients() throws Exception {
        try (SelectorServer server = SelectorServer.start(SocketAddresses.loopback(0), 64, 8, (request, response) -> {
            throw new AssertionError("a bug in the handler");
        })) {
            try (SocketChannel client = Clients.connect(server.address())) {
                Clients.writeFrame(client, new byte[] {1});
                assertThat(Clients.readFrame(client, ByteBuffer.allocate(64), GENEROUS)).isEqualTo(Clients.CLOSED);
            }
            // the server's thread ends with that Error, as designed: Awaitility must not report it as this test's
            await().dontCatchUncaughtExceptions().atMost(GENEROUS).until(() -> server.statistics().lastFailure() != null);
            assertThat(server.statistics().lastFailure()).isInstanceOf(AssertionError.class)
                    .hasMessage("a bug in the handler");
            await().dontCatchUncaughtExceptions().atMost(GENEROUS)
                    .untilAsserted(() -> assertThatThrownBy(() -> Clients.connect(server.address()))
                    .as("a dead server refuses clients instead of queueing them").isInstanceOf(ConnectException.class));
        }
    }

    private static ChildProcess python(String script, Object... args) throws java.io.IOException {
        String[] command = new String[3 + args.length];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        for (int i = 0; i < args.length; i++) {
            command[3 + i] = String.valueOf(args[i]);
        }
        return ChildProcess.builder(command).start();
    }
}
