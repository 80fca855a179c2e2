package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.sockets.peers.LimitedServerPeer;

/**
 * Servers in a JVM of their own, starved of a process-wide resource that a test must not exhaust in its own JVM:
 * direct memory ({@code -XX:MaxDirectMemorySize}) and descriptors.
 */
@Timeout(90)
class HostileClientCrossProcessTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @Test
    void shouldRefuseOnlyTheConnectionThatFindsDirectMemoryExhaustedAndKeepServing() throws Exception {
        // 10 MiB of direct memory and 3 MiB messages: room for three buffers, so three unfinished messages at once
        // (each held in a buffer of its own) cannot all fit.
        int frame = 3 << 20;
        try (ChildProcess server = ChildJvm.builder(LimitedServerPeer.class)
                .args("selector", String.valueOf(frame), "16").jvmOptions("-XX:MaxDirectMemorySize=10m")
                .quickStart().start()) {
            SocketAddress address = listening(server);
            List<SocketChannel> clients = Clients.unfinishedMessages(address, 3, 1000);
            try {
                await().atMost(GENEROUS).until(() -> clients.stream().anyMatch(Clients::closedByServer));
                assertThat(Clients.finishAndExpectEchoes(clients, 1000, GENEROUS))
                        .as("the connections whose buffers fit were served").isBetween(1, 2);
                try (SocketChannel later = Clients.connect(address)) {
                    assertThat(Clients.ask(later, "stats", GENEROUS)).as("the loop survived and says why")
                            .containsPattern("failed=[1-9]").contains("direct memory");
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "blocking"})
    void shouldPauseAcceptingWhileDescriptorsRunOutInsteadOfSpinningAndComeBack(String kind) throws Exception {
        // A JVM with its own low descriptor limit, which it then uses up, so that accept fails with EMFILE there.
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\""));
        command.addAll(ChildJvm.builder(LimitedServerPeer.class).args(kind, "1024", "16").quickStart().command());
        try (ChildProcess server = ChildProcess.builder(command).start()) {
            SocketAddress address = listening(server);
            try (SocketChannel control = Clients.connect(address)) {
                fillAndExpectAPause(address, control);
            }
        }
    }

    private static void fillAndExpectAPause(SocketAddress address, SocketChannel control) throws Exception {
        assertThat(Clients.ask(control, "fill", GENEROUS)).startsWith("filled ");
        long start = System.nanoTime();
        try (SocketChannel queued = Clients.connect(address)) {
            // The kernel completes the handshake; the server's accept fails for want of a descriptor.
            Clients.writeFrame(queued, "queued".getBytes(StandardCharsets.UTF_8));
            await().atMost(GENEROUS).until(() -> acceptFailures(Clients.ask(control, "stats", GENEROUS)) > 0);
            String stats = Clients.ask(control, "stats", GENEROUS);
            long elapsed = System.nanoTime() - start;
            // Each failure is followed by a pause of at least FIRST_PAUSE: a count, not a speed. A server that
            // retried at once would have failed thousands of times by now.
            assertThat(acceptFailures(stats)).as(stats)
                    .isLessThanOrEqualTo(2 + elapsed / AcceptBackoff.FIRST_PAUSE_NANOS);
            assertThat(stats).contains("Too many open files");
            assertThat(Clients.ask(control, "release", GENEROUS)).startsWith("released ");
            ByteBuffer reply = ByteBuffer.allocate(64);
            assertThat(Clients.readFrame(queued, reply, GENEROUS)).as("accepted once descriptors were free")
                    .isEqualTo(6);
        }
    }

    private static long acceptFailures(String stats) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("acceptFailures=(\\d+)").matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static SocketAddress listening(ChildProcess server) throws IOException {
        String line = server.nextLine(GENEROUS);
        assertThat(line).startsWith("listening on ");
        return SocketAddresses.parse(line.substring("listening on ".length()));
    }
}
