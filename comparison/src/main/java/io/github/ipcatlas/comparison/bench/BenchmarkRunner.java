package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.HdrHistogram.Histogram;

import io.github.ipcatlas.core.CpuAffinity;

/**
 * The one harness every mechanism is measured with.
 *
 * <p>Latency: ping-pong, one message in flight. An untimed warm-up lets both JITs compile the loop; then every
 * round trip is timed with {@link System#nanoTime()} and recorded in an HdrHistogram (3 significant digits).
 * Every echoed payload is compared with what was sent; a mismatch aborts the run. The measured loop allocates
 * nothing: the buffers and the histogram exist before it starts, and the allocated bytes and GC count measured
 * around it are part of the result.
 *
 * <p>Throughput: one-way streaming of {@code warmup} untimed messages, acknowledged, then {@code messages} timed
 * ones to a sink that acknowledges the last one.
 *
 * <p>Rate: round trips sent on a schedule, their latency counted from the time each was due ({@link OpenLoop}).
 *
 * <p>Latency and throughput: the CPU time each side's thread used over the measured part ({@link CpuMeter}).
 */
public final class BenchmarkRunner {
    private static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    private final Progress progress;
    private final Pinning pinning;

    /** A runner that leaves both sides to the scheduler. */
    public BenchmarkRunner(Progress progress) {
        this(progress, Pinning.NONE);
    }

    /** A runner that pins the measuring thread and the peer's thread as {@code pinning} says, for each measurement. */
    public BenchmarkRunner(Progress progress, Pinning pinning) {
        this.progress = progress;
        this.pinning = pinning;
    }

    private PeerMode pinned(PeerMode mode) {
        return pinning.peerCpu() >= 0 ? mode.pinnedTo(pinning.peerCpu()) : mode;
    }

    /** Pins the measuring thread once its peer exists: a child started from a pinned thread would inherit the pin. */
    private void pinMeasuringThread() throws IOException {
        if (pinning.benchmarkCpu() >= 0) {
            CpuAffinity.pinCurrentThread(pinning.benchmarkCpu());
        }
    }

    private void unpinMeasuringThread() throws IOException {
        if (pinning.benchmarkCpu() >= 0) {
            CpuAffinity.unpinCurrentThread();
        }
    }

    /** Measures round trips of {@code size}-byte messages over {@code mechanism}. */
    public LatencyResult latency(Mechanism mechanism, int size, long warmup, long roundTrips) throws IOException {
        checkSize(mechanism, size);
        try {
            return measureLatency(mechanism, size, warmup, roundTrips);
        } finally {
            unpinMeasuringThread();
        }
    }

    /**
     * Measures one-way streaming of {@code messages} {@code size}-byte messages over {@code mechanism}, after
     * {@code warmup} untimed ones.
     */
    public ThroughputResult throughput(Mechanism mechanism, int size, long warmup, long messages) throws IOException {
        checkSize(mechanism, size);
        try {
            return measureThroughput(mechanism, size, warmup, messages);
        } finally {
            unpinMeasuringThread();
        }
    }

    /**
     * Measures round trips of {@code size}-byte messages over {@code mechanism} sent at {@code ratePerSecond}, after
     * {@code warmup} untimed closed-loop ones.
     */
    public RateResult rate(Mechanism mechanism, int size, long warmup, long messages, double ratePerSecond)
            throws IOException {
        checkSize(mechanism, size);
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate " + ratePerSecond + " must be a positive number of messages a second");
        }
        try {
            return measureRate(mechanism, size, warmup, messages, ratePerSecond);
        } finally {
            unpinMeasuringThread();
        }
    }

    private RateResult measureRate(Mechanism mechanism, int size, long warmup, long messages, double ratePerSecond)
            throws IOException {
        OpenLoop loop = new OpenLoop(HIGHEST_TRACKABLE_NANOS);
        ByteBuffer sent = pattern(size);
        ByteBuffer received = ByteBuffer.allocateDirect(size);
        try (Mechanism.Connection connection = mechanism.connect(pinned(PeerMode.echo(size, warmup, messages)))) {
            pinMeasuringThread();
            Link link = connection.link();
            roundTrips(link, sent, received, new Histogram(HIGHEST_TRACKABLE_NANOS, 3), -warmup, warmup, "warm-up");
            AllocationMeter meter = AllocationMeter.start();
            long done = loop.run(link, sent, received, messages, ratePerSecond, progress);
            long allocated = meter.allocatedBytes();
            connection.finish();
            Histogram corrected = loop.corrected();
            return new RateResult(mechanism.id(), mechanism.scope(), size, ratePerSecond,
                    loop.achievedPerSecond(done), done, corrected.getValueAtPercentile(50),
                    corrected.getValueAtPercentile(90), corrected.getValueAtPercentile(99),
                    corrected.getValueAtPercentile(99.9), corrected.getMaxValue(),
                    loop.uncorrected().getValueAtPercentile(50), loop.uncorrected().getValueAtPercentile(99),
                    (double) allocated / done);
        } finally {
            letTheCollectorUnmap();
        }
    }

    private static void checkSize(Mechanism mechanism, int size) {
        int fixed = mechanism.fixedMessageSize();
        if (fixed >= 0 && size != fixed) {
            throw new IllegalArgumentException(mechanism.id() + " carries " + fixed + "-byte messages, not " + size);
        }
    }

    private LatencyResult measureLatency(Mechanism mechanism, int size, long warmup, long roundTrips) throws IOException {
        Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        ByteBuffer sent = pattern(size);
        ByteBuffer received = ByteBuffer.allocateDirect(size);
        try (Mechanism.Connection connection = mechanism.connect(pinned(PeerMode.echo(size, warmup, roundTrips)))) {
            pinMeasuringThread();
            Link link = connection.link();
            // the histogram's first use allocates: it records the warm-up too, and is reset before measuring
            roundTrips(link, sent, received, histogram, -warmup, warmup, "warm-up");
            histogram.reset();
            CpuMeter.start(); // its first use allocates: once before the allocation meter starts
            AllocationMeter meter = AllocationMeter.start(); // then: its first use starts JMX, which costs CPU
            CpuMeter cpu = CpuMeter.start();
            roundTrips(link, sent, received, histogram, 0, roundTrips, "measuring");
            long cpuNanos = cpu.nanos();
            long allocated = meter.allocatedBytes();
            long collections = meter.collections();
            PeerStats peer = connection.finish();
            return new LatencyResult(mechanism.id(), mechanism.scope(), size, roundTrips,
                    histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                    histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                    histogram.getMaxValue(), histogram.getMean(), (double) allocated / roundTrips, collections,
                    peer.allocatedBytes(), peer.gcCount(), (double) cpuNanos / roundTrips,
                    (double) peer.cpuNanos() / roundTrips, null, null);
        } finally {
            letTheCollectorUnmap();
        }
    }

    private ThroughputResult measureThroughput(Mechanism mechanism, int size, long warmup, long messages)
            throws IOException {
        ByteBuffer sent = pattern(size);
        ByteBuffer ack = ByteBuffer.allocateDirect(size);
        try (Mechanism.Connection connection = mechanism.connect(pinned(PeerMode.sink(size, warmup, messages)))) {
            pinMeasuringThread();
            Link link = connection.link();
            stream(link, sent, warmup, "warm-up");
            if (warmup > 0) {
                link.receive(ack.clear());
            }
            CpuMeter.start(); // its first use allocates: once before the allocation meter starts
            AllocationMeter meter = AllocationMeter.start(); // then: its first use starts JMX, which costs CPU
            CpuMeter cpu = CpuMeter.start();
            long start = System.nanoTime();
            stream(link, sent, messages, "streaming");
            link.receive(ack.clear());
            long elapsed = System.nanoTime() - start;
            long cpuNanos = cpu.nanos();
            long allocated = meter.allocatedBytes();
            long collections = meter.collections();
            PeerStats peer = connection.finish();
            double perSecond = messages * 1e9 / elapsed;
            double receiverPerSecond = peer.receiveNanos() > 0 ? (messages - 1) * 1e9 / peer.receiveNanos() : 0;
            double peerCpuPerMessage = messages > 1 ? (double) peer.cpuNanos() / (messages - 1) : 0;
            return new ThroughputResult(mechanism.id(), mechanism.scope(), size, messages, perSecond,
                    perSecond * size / 1e6, receiverPerSecond, (double) allocated / messages, collections,
                    (double) cpuNanos / messages, peerCpuPerMessage, null, null);
        } finally {
            letTheCollectorUnmap();
        }
    }

    /**
     * A closed mapping is unmapped by the garbage collector ({@code ipc-mmap} says why), and the loops here allocate
     * nothing, so none would run: the segments of every connection would stay in {@code /dev/shm} until the end of
     * the run. One collection after each connection, outside every measurement, frees them.
     */
    private static void letTheCollectorUnmap() {
        System.gc();
    }

    /*
     * Warm-up and measurement run through the same loop: the JIT compiles a loop where it runs (on-stack
     * replacement), so a second loop after the warm-up would start in the interpreter, and the bookkeeping between
     * round trips, or a whole measured stream, would be partly interpreted.
     */

    /** {@code count} timed round trips, stamped from {@code firstSequence} on, into {@code histogram}. */
    private void roundTrips(Link link, ByteBuffer sent, ByteBuffer received, Histogram histogram, long firstSequence,
                            long count, String phase) throws IOException {
        for (long i = 0; i < count; i++) {
            stamp(sent, firstSequence + i);
            long start = System.nanoTime(); // the clock brackets the exchange alone, as in the C twin
            link.send(sent.clear());
            link.receive(received.clear());
            long elapsed = System.nanoTime() - start;
            checkEcho(sent, received, firstSequence + i);
            histogram.recordValue(Math.min(elapsed, HIGHEST_TRACKABLE_NANOS));
            progress.update(phase, i, count);
        }
    }

    /** Sends {@code count} copies of {@code message}. */
    private void stream(Link link, ByteBuffer message, long count, String phase) throws IOException {
        for (long i = 0; i < count; i++) {
            link.send(message.clear());
            progress.update(phase, i, count);
        }
    }

    static void checkEcho(ByteBuffer sent, ByteBuffer received, long sequence) throws IOException {
        if (!received.clear().equals(sent.clear())) {
            throw new IOException("round trip " + sequence + ": the echoed payload differs from the one sent, at byte "
                    + received.mismatch(sent));
        }
    }

    /** Writes the sequence number into the first bytes, so a stale or replayed echo is caught. */
    static void stamp(ByteBuffer buffer, long sequence) {
        for (int i = 0; i < Math.min(Long.BYTES, buffer.capacity()); i++) {
            buffer.put(i, (byte) (sequence >>> (8 * i)));
        }
    }

    private static ByteBuffer pattern(int size) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (byte) (i * 31 + 7));
        }
        return buffer;
    }
}
