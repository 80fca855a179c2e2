package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.comparison.bench.BenchmarkRunner;
import io.github.ipcatlas.comparison.bench.LatencyResult;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.Mechanisms;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.Progress;
import io.github.ipcatlas.comparison.bench.ThroughputResult;
import io.github.ipcatlas.comparison.bench.mechanisms.PeerAeronIpcMechanism;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/** The peer libraries as bench mechanisms: measured like ours, every payload checked, and no hang on a dead peer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerMechanismsTest {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    private final BenchmarkRunner runner = new BenchmarkRunner(
            new Progress(new PrintStream(PrintStream.nullOutputStream()), 1, true));
    private final Mechanism agrona = Mechanisms.byId("peer-agrona-ring");
    private final Mechanism junixsocket = Mechanisms.byId("peer-junixsocket");
    private final Mechanism aeron = Mechanisms.byId("peer-aeron-ipc");

    @Test
    void shouldEchoEveryPayloadThroughAgronaRingsBetweenTwoJvmsWithoutAllocating() throws IOException {
        LatencyResult small = runner.latency(agrona, 64, 5000, 5000);
        LatencyResult large = runner.latency(agrona, 64 * 1024, 200, 500); // every echo is compared byte for byte
        ThroughputResult streamed = runner.throughput(agrona, 4096, 1000, 20000);

        assertThat(small.roundTrips()).isEqualTo(5000);
        assertThat(small.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip").isLessThan(1.0);
        assertThat(large.roundTrips()).isEqualTo(500);
        assertThat(streamed.messages()).isEqualTo(20000);
    }

    @Test
    void shouldEndAWaitingReceiveWhenThePeerIsKilled() throws IOException {
        try (Mechanism.Connection connection = agrona.connect(PeerMode.echo(64))) {
            ByteBuffer message = ByteBuffer.allocateDirect(64).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            Signals.send(connection.peerPid(), Signal.KILL);
            // a spinning receive has no kernel object to wake it: the peer's exit, noticed by a watcher, ends it
            assertThatThrownBy(() -> connection.link().receive(message.clear())).isInstanceOf(EOFException.class)
                    .hasMessageContaining("the peer exited");
        }
    }

    @Test
    void shouldSayWhichSizesAnAgronaRingCannotCarry() {
        assertThat(agrona.cannotCarry(64)).isNull();
        assertThat(agrona.cannotCarry(64 << 20)).isNull();
        assertThat(agrona.cannotCarry(1 << 28)).contains("at most an eighth");
        assertThat(agrona.description()).contains("Agrona").contains("SPIN");
    }

    @Test
    void shouldEchoEveryPayloadThroughAeronIpcBetweenTwoJvmsWithoutAllocating() throws IOException {
        LatencyResult small = runner.latency(aeron, 64, 5000, 5000);
        LatencyResult large = runner.latency(aeron, 64 * 1024, 200, 500); // two fragments each, joined again
        ThroughputResult streamed = runner.throughput(aeron, 4096, 1000, 20000);

        assertThat(small.roundTrips()).isEqualTo(5000);
        assertThat(small.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip").isLessThan(1.0);
        assertThat(large.roundTrips()).isEqualTo(500);
        assertThat(large.allocatedBytesPerRoundTrip()).as("bytes allocated per fragmented round trip").isLessThan(1.0);
        assertThat(streamed.messages()).isEqualTo(20000);
        assertThat(streamed.allocatedBytesPerMessage()).as("bytes allocated per streamed message, back-pressured")
                .isLessThan(1.0);
        assertThat(benchDirectories("aeron", Path.of("/dev/shm"))).isEmpty();
    }

    @Test
    void shouldRemoveTheAeronDirectoryOnceThePeerIsReadyAndEndAWaitingReceiveWhenThePeerIsKilled() throws IOException {
        try (Mechanism.Connection connection = aeron.connect(PeerMode.echo(64))) {
            assertThat(benchDirectories("aeron", Path.of("/dev/shm"))).as("both sides have mapped their logs").isEmpty();
            ByteBuffer message = ByteBuffer.allocateDirect(64).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            Signals.send(connection.peerPid(), Signal.KILL);
            assertThatThrownBy(() -> connection.link().receive(message.clear())).isInstanceOf(EOFException.class)
                    .hasMessageContaining("the peer exited");
        }
        assertThat(benchDirectories("aeron", Path.of("/dev/shm"))).isEmpty();
    }

    @Test
    void shouldSayWhichSizesAeronCannotCarry() {
        assertThat(aeron.cannotCarry(64)).isNull();
        assertThat(aeron.cannotCarry(16 << 20)).isNull();
        assertThat(PeerAeronIpcMechanism.termLength(PeerMode.echo(16 << 20))).as("an eighth takes the message")
                .isEqualTo(256 << 20);
        assertThat(PeerAeronIpcMechanism.termLength(PeerMode.echo(4096))).as("1024 messages").isEqualTo(8 << 20);
        assertThat(PeerAeronIpcMechanism.termLength(PeerMode.echo(512 << 10))).as("at most the default for 1024")
                .isEqualTo(64 << 20);
        assertThat(aeron.cannotCarry((16 << 20) + 1)).contains("at most 16777216 bytes");
        assertThat(aeron.description()).contains("Aeron").contains("SPIN");
    }

    @Test
    void shouldEchoEveryPayloadThroughJunixsocketBetweenTwoJvmsWithoutAllocating() throws IOException {
        LatencyResult small = runner.latency(junixsocket, 64, 5000, 5000);
        LatencyResult large = runner.latency(junixsocket, 64 * 1024, 200, 500); // split by the kernel, reassembled
        ThroughputResult streamed = runner.throughput(junixsocket, 4096, 1000, 20000);

        assertThat(small.roundTrips()).isEqualTo(5000);
        assertThat(small.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip").isLessThan(1.0);
        assertThat(large.roundTrips()).isEqualTo(500);
        assertThat(streamed.messages()).isEqualTo(20000);
        assertThat(streamed.allocatedBytesPerMessage()).as("bytes allocated per streamed message").isLessThan(1.0);
        assertThat(benchDirectories("junixsocket", TMP)).isEmpty();
    }

    @Test
    void shouldRemoveTheJunixsocketFileOnceConnectedAndSeeAKilledPeerAsTheEndOfTheStream() throws IOException {
        try (Mechanism.Connection connection = junixsocket.connect(PeerMode.echo(64))) {
            assertThat(benchDirectories("junixsocket", TMP)).as("the connection needs no file").isEmpty();
            ByteBuffer message = ByteBuffer.allocateDirect(64).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            Signals.send(connection.peerPid(), Signal.KILL);
            assertThatThrownBy(() -> connection.link().receive(message.clear())).isInstanceOf(EOFException.class)
                    .hasMessageContaining("the peer closed the stream");
        }
        assertThat(benchDirectories("junixsocket", TMP)).isEmpty();
    }

    @Test
    void shouldCarryAnySizeThroughJunixsocketOnceItsLibraryLoads() {
        assertThat(junixsocket.cannotCarry(64)).isNull();
        assertThat(junixsocket.cannotCarry(64 << 20)).isNull();
        assertThat(junixsocket.description()).contains("junixsocket").contains("block");
    }

    /** The directories in {@code parent} this JVM's connections of {@code kind} made that still exist. */
    private static List<String> benchDirectories(String kind, Path parent) throws IOException {
        String ours = "ipc-atlas-bench-" + kind + "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(parent)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ours)).toList();
        }
    }
}
