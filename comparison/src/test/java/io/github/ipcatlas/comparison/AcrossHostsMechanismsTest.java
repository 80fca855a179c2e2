package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.comparison.bench.BenchmarkRunner;
import io.github.ipcatlas.comparison.bench.LatencyResult;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.Mechanisms;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.Progress;
import io.github.ipcatlas.comparison.bench.ThroughputResult;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * The mechanisms between two hosts: the peer in a network namespace of its own joined by a veth pair, measured like
 * the others, every payload checked, and nothing left behind — no interface, no Aeron directory. The measuring tests
 * need root ({@code CAP_SYS_ADMIN} and {@code CAP_NET_ADMIN}), which the build machines have; without it they are
 * skipped with the reason the mechanisms give.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcrossHostsMechanismsTest {
    private final BenchmarkRunner runner = new BenchmarkRunner(
            new Progress(new PrintStream(PrintStream.nullOutputStream()), 1, true));
    private final Mechanism tcp = Mechanisms.byId("tcp-veth");
    private final Mechanism udp = Mechanisms.byId("udp-veth");
    private final Mechanism aeron = Mechanisms.byId("peer-aeron-udp");
    private static final String VETH_PROBLEM = Mechanisms.byId("tcp-veth").cannotCarry(64);

    private List<String> aeronDirectoriesBefore;

    @BeforeEach
    void noteAeronDirectories() throws IOException {
        aeronDirectoriesBefore = aeronDirectories(); // another run's may be there: only new ones count
    }

    private void requireTwoHosts() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VETH_PROBLEM == null, VETH_PROBLEM);
    }

    @Test
    void shouldEchoEveryPayloadOverTcpAndUdpBetweenTwoNamespacesAndLeaveNoInterface() throws IOException {
        requireTwoHosts();
        LatencyResult overTcp = runner.latency(tcp, 4096, 200, 1000);
        LatencyResult overUdp = runner.latency(udp, 64, 200, 1000);
        ThroughputResult streamed = runner.throughput(tcp, 65536, 100, 2000);

        assertThat(overTcp.roundTrips()).isEqualTo(1000);
        assertThat(overTcp.scope()).isEqualTo("hosts");
        assertThat(overUdp.roundTrips()).isEqualTo(1000);
        assertThat(overUdp.allocatedBytesPerRoundTrip()).as("bytes allocated per round trip").isLessThan(1.0);
        assertThat(streamed.messages()).isEqualTo(2000);
        awaitNoVethLeft();
    }

    @Test
    void shouldEchoEveryPayloadThroughAeronUdpWithADriverOnEachHost() throws IOException {
        requireTwoHosts();
        LatencyResult small = runner.latency(aeron, 64, 2000, 2000);
        LatencyResult fragmented = runner.latency(aeron, 4096, 200, 500); // three frames of at most 1408 bytes
        ThroughputResult streamed = runner.throughput(aeron, 1024, 1000, 20000);

        assertThat(small.roundTrips()).isEqualTo(2000);
        assertThat(small.allocatedBytesPerRoundTrip()).as("bytes allocated per round trip").isLessThan(1.0);
        assertThat(fragmented.roundTrips()).isEqualTo(500);
        assertThat(streamed.messages()).isEqualTo(20000);
        awaitNoVethLeft();
        assertThat(aeronDirectories()).isSubsetOf(aeronDirectoriesBefore);
    }

    @Test
    void shouldEndAWaitingReceiveWhenTheAeronUdpPeerIsKilledAndTakeItsNamespaceWithIt() throws IOException {
        requireTwoHosts();
        try (Mechanism.Connection connection = aeron.connect(PeerMode.echo(64))) {
            assertThat(aeronDirectories()).as("both drivers' logs are mapped: no directory is needed")
                    .isSubsetOf(aeronDirectoriesBefore);
            assertThat(vethLinks()).hasSize(1);
            ByteBuffer message = ByteBuffer.allocateDirect(64).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            Signals.send(connection.peerPid(), Signal.KILL);
            assertThatThrownBy(() -> connection.link().receive(message.clear())).isInstanceOf(EOFException.class)
                    .hasMessageContaining("the peer exited");
            awaitNoVethLeft(); // the namespace died with its only process, and the pair with it
        }
        assertThat(aeronDirectories()).isSubsetOf(aeronDirectoriesBefore);
    }

    @Test
    void shouldMeasureHostsMechanismsOnlyWhenAskedByName() {
        assertThat(Mechanisms.defaults()).extracting(Mechanism::id)
                .doesNotContain("tcp-veth", "udp-veth", "peer-aeron-udp").contains("tcp", "udp", "peer-aeron-ipc");
        assertThat(Mechanisms.all()).extracting(Mechanism::id).contains("tcp-veth", "udp-veth", "peer-aeron-udp");
        if (VETH_PROBLEM == null) {
            assertThat(udp.cannotCarry(65_473)).isNull();
            assertThat(udp.cannotCarry(65_474)).contains("udp-veth carries at most 65473 bytes");
            assertThat(aeron.cannotCarry((16 << 20) + 1)).contains("at most 16777216 bytes");
        } else { // without root, every size gets the reason
            assertThat(udp.cannotCarry(64)).isEqualTo(VETH_PROBLEM);
        }
        assertThat(udp.cannotStream()).contains("loss");
    }

    /** The host-side ends of this JVM's veth pairs ({@code abh<pid>n<k>}) that still exist. */
    private static List<String> vethLinks() throws IOException {
        String ours = "abh" + ProcessHandle.current().pid() % 100_000 + "n";
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            return links.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ours)).toList();
        }
    }

    private static void awaitNoVethLeft() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> vethLinks().isEmpty());
    }

    private static List<String> aeronDirectories() throws IOException {
        String ours = "ipc-atlas-bench-aeron-udp-";
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ours)).toList();
        }
    }
}
