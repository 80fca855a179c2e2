package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.ipcatlas.comparison.bench.BenchmarkRunner;
import io.github.ipcatlas.comparison.bench.LatencyResult;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.Mechanisms;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.PeerStats;
import io.github.ipcatlas.comparison.bench.Progress;
import io.github.ipcatlas.comparison.bench.RateResult;
import io.github.ipcatlas.comparison.bench.ThroughputResult;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkRunnerTest {
    private final BenchmarkRunner runner = new BenchmarkRunner(
            new Progress(new PrintStream(PrintStream.nullOutputStream()), 1, true));

    @Test
    void shouldMeasureRoundTripsThroughAPipeToAChildJvmWithoutAllocating() throws IOException {
        LatencyResult result = runner.latency(Mechanisms.byId("pipe"), 64, 5000, 5000);

        assertThat(result.mechanism()).isEqualTo("pipe");
        assertThat(result.scope()).isEqualTo("process");
        assertThat(result.roundTrips()).isEqualTo(5000);
        assertThat(result.p50Nanos()).isPositive();
        assertThat(List.of(result.p50Nanos(), result.p90Nanos(), result.p99Nanos(), result.p999Nanos(),
                result.maxNanos())).isSorted();
        // One allocation per round trip would be at least 16 bytes each. What the JIT may do once while the loop
        // runs (a deoptimisation that rematerialises an object, say) is a few hundred bytes in all: under 1 per trip.
        assertThat(result.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip")
                .isLessThan(1.0);
        assertThat(result.peerAllocatedBytes()).isNotNegative();
        assertThat(result.cpuNanosPerRoundTrip()).as("the measuring thread's write and read cost CPU").isPositive();
        assertThat(result.peerCpuNanosPerRoundTrip()).as("so do the peer's read and write").isPositive();
    }

    @Test
    void shouldCountThePeersCpuOverTheMeasuredRoundTripsOnlyAndOnlyWhenToldWhichTheyAre() throws IOException {
        Mechanism queue = Mechanisms.byId("thread-queue");
        ByteBuffer message = ByteBuffer.allocateDirect(64);
        try (Mechanism.Connection told = queue.connect(PeerMode.echo(64, 100, 2000))) {
            for (int i = 0; i < 2100; i++) {
                told.link().send(message.clear());
                told.link().receive(message.clear());
            }
            assertThat(told.finish().cpuNanos()).as("the serving thread's CPU over the 2,000 measured").isPositive();
        }
        try (Mechanism.Connection stopped = queue.connect(PeerMode.echo(64, 100, 2000))) {
            for (int i = 0; i < 1000; i++) {
                stopped.link().send(message.clear());
                stopped.link().receive(message.clear());
            }
            assertThat(stopped.finish().cpuNanos()).as("the measured span never ended: nothing to report").isZero();
        }
        try (Mechanism.Connection untold = queue.connect(PeerMode.echo(64))) {
            untold.link().send(message.clear());
            untold.link().receive(message.clear());
            assertThat(untold.finish().cpuNanos()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds", "tcp", "udp"})
    void shouldMeasureSocketRoundTripsWithoutAllocating(String id) throws IOException {
        LatencyResult result = runner.latency(Mechanisms.byId(id), 4096, 5000, 3000);

        assertThat(result.roundTrips()).isEqualTo(3000);
        assertThat(result.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip")
                .isLessThan(1.0);
    }

    @Test
    void shouldCarryTheSequenceNumberAsTheValueOfAQueuedRealtimeSignal() throws IOException {
        Mechanism signalRt = Mechanisms.byId("signal-rt");
        LatencyResult result = runner.latency(signalRt, 4, 2000, 3000);

        assertThat(result.sizeBytes()).isEqualTo(4);
        assertThat(result.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip")
                .isLessThan(1.0);
        assertThatThrownBy(() -> runner.latency(signalRt, 64, 1, 1))
                .hasMessageContaining("signal-rt carries 4-byte messages, not 64");
        assertThat(Mechanisms.byId("signal").fixedMessageSize()).isZero();
    }

    @Test
    void shouldEndABlockedSignalReadWhenThePeerIsKilled() throws IOException {
        Mechanism signalRt = Mechanisms.byId("signal-rt");
        try (Mechanism.Connection connection = signalRt.connect(PeerMode.echo(4))) {
            ByteBuffer message = ByteBuffer.allocateDirect(4).putInt(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getInt(0)).isEqualTo(42);
            io.github.ipcatlas.signals.Signals.send(((io.github.ipcatlas.comparison.bench.ChildConnection) connection)
                    .peerPid(), io.github.ipcatlas.signals.Signal.KILL);
            // no deadline on this read: the watcher's RTMIN+2 must end it
            assertThatThrownBy(() -> connection.link().receive(message.clear()))
                    .isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void shouldCarryFourByteMessagesAsEventfdCountsAndEndABlockedReadWhenThePeerIsKilled() throws IOException {
        Mechanism eventfd = Mechanisms.byId("eventfd");
        LatencyResult shorter = runner.latency(eventfd, 4, 2000, 3000); // every echo compared, -2000 to 2999 stamped
        LatencyResult longer = runner.latency(eventfd, 4, 2000, 23000);
        assertThat(shorter.sizeBytes()).isEqualTo(4);
        // a few kilobytes allocated once in the measured window (not by the link), none per round trip
        double perExtraRoundTrip = (longer.allocatedBytesPerRoundTrip() * 23000 - shorter.allocatedBytesPerRoundTrip()
                * 3000) / 20000;
        assertThat(perExtraRoundTrip).as("bytes allocated per additional round trip").isLessThan(0.5);
        assertThat(eventfd.cannotStream()).contains("one count at a time");
        try (Mechanism.Connection connection = eventfd.connect(PeerMode.echo(4))) {
            ByteBuffer message = ByteBuffer.allocateDirect(4).putInt(0, -1); // the largest count, 2^32
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getInt(0)).isEqualTo(-1);
            io.github.ipcatlas.signals.Signals.send(connection.peerPid(), io.github.ipcatlas.signals.Signal.KILL);
            // no deadline on this read: the watcher's end count must end it
            assertThatThrownBy(() -> connection.link().receive(message.clear()))
                    .isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void shouldMeasureRequestReplyOverMessageQueuesAndSkipWhatTheyCannotCarry() throws IOException {
        Mechanism mq = Mechanisms.byId("mq");
        LatencyResult result = runner.latency(mq, 4096, 500, 500);

        assertThat(result.roundTrips()).isEqualTo(500);
        assertThat(result.scope()).isEqualTo("process");
        assertThat(mq.cannotCarry(4096)).isNull();
        assertThat(mq.cannotCarry(1 << 20)).contains("fs.mqueue.msgsize_max");
    }

    @Test
    void shouldCarryRequestsAndRepliesByTypeOnOneSystemVQueueAndRemoveItAfterwards() throws IOException {
        Mechanism sysvMq = Mechanisms.byId("sysv-mq");
        assertThat(sysvMq.cannotCarry(8192)).isNull();
        assertThat(sysvMq.cannotCarry(1 << 20)).contains("kernel.msgmax");
        // warm enough that the JIT has compiled the path: the interpreter's first calls allocate what C2 removes
        LatencyResult result = runner.latency(sysvMq, 512, 20_000, 20_000);

        assertThat(result.roundTrips()).isEqualTo(20_000);
        assertThat(result.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip").isLessThan(1.0);
        assertThat(queuesThisJvmUsed()).as("the run's queue was removed").isEmpty();
    }

    @Test
    void shouldEndABlockedSystemVReceiveWhenThePeerIsKilled() throws IOException {
        try (Mechanism.Connection connection = Mechanisms.byId("sysv-mq").connect(PeerMode.echo(8))) {
            ByteBuffer message = ByteBuffer.allocateDirect(8).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            io.github.ipcatlas.signals.Signals.send(connection.peerPid(), io.github.ipcatlas.signals.Signal.KILL);
            // no deadline on this msgrcv: the watcher's removal of the queue must end it
            assertThatThrownBy(() -> connection.link().receive(message.clear())).isInstanceOf(IOException.class)
                    .hasMessageContaining("EIDRM");
        }
    }

    @Test
    void shouldEndASpinningSystemVSharedMemoryWaitWhenThePeerIsKilled() throws IOException {
        try (Mechanism.Connection connection = Mechanisms.byId("sysv-shm").connect(PeerMode.echo(64))) {
            ByteBuffer message = ByteBuffer.allocateDirect(64).putLong(0, 42);
            connection.link().send(message);
            connection.link().receive(message.clear());
            assertThat(message.getLong(0)).isEqualTo(42);
            io.github.ipcatlas.signals.Signals.send(connection.peerPid(), io.github.ipcatlas.signals.Signal.KILL);
            // no deadline on this spin: the watcher must end it
            assertThatThrownBy(() -> connection.link().receive(message.clear()))
                    .isInstanceOf(java.io.EOFException.class).hasMessageContaining("peer exited");
        }
    }

    /**
     * The System V queues that this JVM sent to or received from last ({@code lspid}/{@code lrpid} in
     * {@code /proc/sysvipc/msg}): only ours, whatever other processes of the machine do meanwhile.
     */
    private static List<String> queuesThisJvmUsed() throws IOException {
        String self = String.valueOf(ProcessHandle.current().pid());
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sysvipc/msg")).stream().skip(1)
                .filter(line -> {
                    String[] columns = line.trim().split("\\s+");
                    return columns[5].equals(self) || columns[6].equals(self);
                }).toList();
    }

    @Test
    void shouldMeasureRoundTripsThroughFifosOfAnOddSize() throws IOException {
        LatencyResult result = runner.latency(Mechanisms.byId("fifo"), 4099, 200, 300);

        assertThat(result.mechanism()).isEqualTo("fifo");
        assertThat(result.sizeBytes()).isEqualTo(4099);
        assertThat(result.roundTrips()).isEqualTo(300);
    }

    @Test
    void shouldMeasureStreamingThroughputOnBothSides() throws IOException {
        ThroughputResult result = runner.throughput(Mechanisms.byId("pipe"), 4096, 1000, 5000);

        assertThat(result.messages()).as("the warm-up is not counted").isEqualTo(5000);
        assertThat(result.cpuNanosPerMessage()).as("the sender's write(2)s cost CPU").isPositive();
        assertThat(result.peerCpuNanosPerMessage()).as("so do the receiver's read(2)s").isPositive();
        assertThat(result.messagesPerSecond()).isPositive();
        assertThat(result.megabytesPerSecond()).isEqualTo(result.messagesPerSecond() * 4096 / 1e6,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(result.receiverMessagesPerSecond()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread-queue", "thread-condition", "thread-exchanger", "thread-spin"})
    void shouldMeasureHandOffsBetweenTwoThreadsOfThisJvm(String id) throws IOException {
        Mechanism mechanism = Mechanisms.byId(id);
        LatencyResult latency = runner.latency(mechanism, 100, 2000, 2000);
        ThroughputResult throughput = runner.throughput(mechanism, 100, 1000, 5000);

        assertThat(latency.scope()).isEqualTo("thread");
        assertThat(latency.roundTrips()).isEqualTo(2000);
        assertThat(List.of(latency.p50Nanos(), latency.p99Nanos(), latency.maxNanos())).isSorted();
        assertThat(throughput.messagesPerSecond()).isPositive();
        assertThat(throughput.receiverMessagesPerSecond()).isPositive();
        assertThatThrownBy(() -> mechanism.accept(List.of())).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no peer process");
    }

    /**
     * No segment, semaphore, ring, mapped file, FIFO or socket directory this JVM's benchmark made remains. Names carry
     * the creator's process id, so a benchmark another process runs meanwhile cannot fail this check.
     */
    private static void assertNothingLeftBehind(String id) throws IOException {
        String ours = "-" + ProcessHandle.current().pid() + "-";
        try (var shm = java.nio.file.Files.list(java.nio.file.Path.of("/dev/shm"));
             var tmp = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(shm.map(p -> p.getFileName().toString())).as(id + " in /dev/shm")
                    .noneMatch(n -> n.contains("bench-") && n.contains(ours));
            assertThat(tmp.map(p -> p.getFileName().toString())).as(id + " in the temporary directory")
                    .noneMatch(n -> n.startsWith("ipc-atlas-bench-") && n.contains(ours));
        }
    }

    @Test
    void shouldMeasureRoundTripsThroughASharedMappingAndLeaveNoFileBehind() throws IOException {
        LatencyResult result = runner.latency(Mechanisms.byId("mmap"), 4096, 2000, 2000);

        assertThat(result.roundTrips()).isEqualTo(2000);
        assertThat(result.allocatedBytesPerRoundTrip()).isLessThan(1.0);
        try (var leftovers = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("ipc-atlas-bench-mmap-" + ProcessHandle.current().pid() + "-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread-exchanger", "thread-spin"})
    void shouldNotAllocatePerMessageInTheHandOffsThatNeedNoParking(String id) throws IOException {
        // thread-queue and thread-condition are left out on purpose: the JDK's Condition.await allocates a node
        // each time a thread blocks, which the report shows in its alloc column.
        LatencyResult result = runner.latency(Mechanisms.byId(id), 64, 5000, 5000);

        assertThat(result.allocatedBytesPerRoundTrip()).as("bytes allocated per measured round trip").isLessThan(1.0);
    }

    static java.util.stream.Stream<String> everyMechanism() {
        return Mechanisms.all().stream().map(Mechanism::id);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("everyMechanism")
    void shouldRunEveryRegisteredMechanismBrieflyInBothModes(String id) throws IOException {
        Mechanism mechanism = Mechanisms.byId(id);

        int size = mechanism.fixedMessageSize() < 0 ? 64 : mechanism.fixedMessageSize();
        org.junit.jupiter.api.Assumptions.assumeTrue(!mechanism.scope().equals("hosts")
                || mechanism.cannotCarry(size) == null, () -> id + ": " + mechanism.cannotCarry(size)); // root only
        LatencyResult latency = runner.latency(mechanism, size, 50, 100);
        assertThat(latency.roundTrips()).isEqualTo(100);
        assertThat(latency.p50Nanos()).isPositive();
        if (mechanism.cannotStream() == null) {
            ThroughputResult throughput = runner.throughput(mechanism, size, 20, 200);
            assertThat(throughput.messages()).isEqualTo(200);
        } else {
            assertThat(id).as("only UDP, standard signals and eventfd (whose adds merge) refuse to be flooded")
                    .isIn("udp", "udp-veth", "signal", "eventfd");
        }
        assertNothingLeftBehind(id);
        assertThat(mechanism.description()).isNotBlank();
        assertThat(mechanism.scope()).isIn("process", "thread", "hosts");
    }

    @Test
    void shouldAbortWhenAnEchoDiffersFromWhatWasSent() {
        assertThatThrownBy(() -> runner.latency(new CorruptingEcho(), 16, 0, 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("round trip 0: the echoed payload differs from the one sent, at byte 3");
    }

    @Test
    void shouldNameUnknownMechanisms() {
        assertThatThrownBy(() -> Mechanisms.byId("carrier-pigeon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown mechanism \"carrier-pigeon\"; known: pipe, fifo, mq, sysv-mq, mmap, shm, shm-blocking, sysv-shm, uds, tcp, udp, signal, signal-rt, eventfd, thread-queue, thread-condition, "
                        + "thread-exchanger, thread-spin, peer-agrona-ring, peer-aeron-ipc, peer-junixsocket, tcp-veth, udp-veth, peer-aeron-udp");
    }

    @Test
    void shouldRoundTripPeerStatisticsAndRefuseOtherLines() {
        PeerStats stats = new PeerStats(12, 3, 456, 789);

        assertThat(PeerStats.parse(stats.format())).isEqualTo(stats);
        assertThatThrownBy(() -> PeerStats.parse("ready")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"ready\"");
    }

    @Test
    void shouldCountTheBacklogOfAnOfferedLoadFromTheDueTimesWhereAClosedLoopWouldNotSeeIt() throws IOException {
        // an echo that takes at least 1 ms a message, offered 2,000 a second: it answers at most 1,000 a second, so
        // message i comes back no sooner than i + 1 ms after the start though it was due at i / 2 ms
        RateResult slow = runner.rate(new SlowEcho(), 64, 0, 200, 2000);

        assertThat(slow.messages()).isEqualTo(200);
        assertThat(slow.achievedPerSecond()).as("at most one a millisecond").isLessThan(1000.0);
        assertThat(slow.held()).isFalse();
        assertThat(slow.p50Nanos()).as("the median message, ~100th, waited for the ~100 before it")
                .isGreaterThanOrEqualTo(40_000_000L);
        assertThat(slow.maxNanos()).as("the backlog grows to the last message").isGreaterThan(slow.p50Nanos());
        assertThat(slow.uncorrectedP50Nanos()).as("timed from its actual send, each took about its own millisecond")
                .isGreaterThanOrEqualTo(1_000_000L).isLessThan(slow.p50Nanos() / 4);
        assertThatThrownBy(() -> runner.rate(new SlowEcho(), 64, 0, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate 0.0");
    }

    /** An echo, in this JVM, that takes at least a millisecond to answer each message. */
    private static final class SlowEcho implements Mechanism {
        @Override
        public String id() {
            return "slow-echo";
        }

        @Override
        public String scope() {
            return "thread";
        }

        @Override
        public String description() {
            return "test: an echo that sleeps 1 ms before each answer";
        }

        @Override
        public Connection connect(PeerMode mode) {
            ByteBuffer pending = ByteBuffer.allocate(mode.size());
            Link link = new Link() {
                @Override
                public void send(ByteBuffer message) {
                    pending.clear().put(message).flip();
                }

                @Override
                public void receive(ByteBuffer into) throws java.io.InterruptedIOException {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                    into.put(pending);
                }

                @Override
                public void close() {
                }
            };
            return new Connection() {
                @Override
                public Link link() {
                    return link;
                }

                @Override
                public PeerStats finish() {
                    return new PeerStats(0, 0, 0, 0);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Link accept(List<String> args) {
            throw new UnsupportedOperationException("in-process only");
        }
    }

    /** A deliberately broken echo, in this JVM: flips byte 3 of every message it returns. */
    private static final class CorruptingEcho implements Mechanism {
        @Override
        public String id() {
            return "corrupting-echo";
        }

        @Override
        public String scope() {
            return "thread";
        }

        @Override
        public String description() {
            return "test: an echo that damages what it returns";
        }

        @Override
        public Connection connect(PeerMode mode) {
            ByteBuffer pending = ByteBuffer.allocate(mode.size());
            Link link = new Link() {
                @Override
                public void send(ByteBuffer message) {
                    pending.clear().put(message).flip();
                    pending.put(3, (byte) (pending.get(3) ^ 0xff));
                }

                @Override
                public void receive(ByteBuffer into) {
                    into.put(pending);
                }

                @Override
                public void close() {
                }
            };
            return new Connection() {
                @Override
                public Link link() {
                    return link;
                }

                @Override
                public PeerStats finish() {
                    return new PeerStats(0, 0, 0, 0);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Link accept(List<String> args) {
            throw new UnsupportedOperationException("in-process only");
        }
    }
}
