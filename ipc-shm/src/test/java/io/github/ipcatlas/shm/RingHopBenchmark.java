package io.github.ipcatlas.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one hop through a {@link ShmRing} costs in software alone: one thread sends a 64-byte record and receives it
 * back, so no cache line moves between CPUs and what is left is the instructions of both sides — the part of a
 * cross-process round trip (two hops plus the cache-line transfers, which the C twin pays too) that is Java's own.
 * The parts of a hop are timed too: the two payload copies, and the word accesses of the protocol. See the README of
 * {@code ipc-shm} for how to run it and what it measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class RingHopBenchmark {
    private static final int BYTES = 64;
    /** The round-trip ring of the benchmark's {@code shm} mechanism, and of its C twin. */
    private static final long CAPACITY = 4096;
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int AT = RingLayout.DATA;

    private final String name = IpcNames.unique("bench-ring");
    private final ByteBuffer out = ByteBuffer.allocateDirect(BYTES);
    private final ByteBuffer in = ByteBuffer.allocateDirect(BYTES);
    private SharedMemory segment;
    private MappedFile memory;
    private RingProducer producer;
    private RingConsumer consumer;
    private RingBytes bytes;
    private long sum;
    private final RecordHandler summing = (mapping, offset, length) -> sum += mapping.getLong(offset);

    @Setup(Level.Trial)
    public void open() throws IOException {
        segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY));
        SharedMemory.unlinkIfExists(name); // mapped already: no name is left behind, whatever ends the fork
        memory = segment.memory();
        ShmRing.initialize(memory, CAPACITY);
        producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
        consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN);
        bytes = new RingBytes(memory, CAPACITY);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        segment.close();
    }

    /** The copying API with a deadline, as the benchmark's {@code shm} mechanism uses it: send, then receive. */
    @Benchmark
    public int sendReceiveWithDeadline() throws IOException {
        producer.send(out.clear(), DEADLINE);
        return consumer.receive(in.clear(), DEADLINE);
    }

    /** The copying API without deadlines. */
    @Benchmark
    public int sendReceive() throws IOException {
        producer.send(out.clear());
        return consumer.receive(in.clear());
    }

    /** The zero-copy API: claim, one word written in place, commit; read in place through a handler. */
    @Benchmark
    public int claimCommitRead(Blackhole hole) throws IOException {
        long at = producer.tryClaim(BYTES);
        memory.putLong(at, at);
        producer.commit();
        int n = consumer.read(summing, 1);
        hole.consume(sum);
        return n;
    }

    /** Part of a hop: the payload copied into the ring and out again. */
    @Benchmark
    public int copies() {
        bytes.copyIn(AT + RingLayout.RECORD_HEADER, out.clear(), BYTES);
        bytes.copyOut(AT + RingLayout.RECORD_HEADER, in.clear(), BYTES);
        return in.position();
    }

    /** Part of a hop: the word accesses and open checks of a send and a receive, as the protocol makes them. */
    @Benchmark
    public long words() {
        bytes.ensureOpen();
        bytes.putLong(AT + 72, 0);
        bytes.setLongRelease(AT, 72);
        bytes.setLongRelease(RingLayout.TAIL, AT);
        int consumerMaySleep = bytes.getInt(RingLayout.CONSUMER_MAY_SLEEP);
        bytes.ensureOpen();
        long header = bytes.getLongAcquire(AT);
        bytes.setLongRelease(RingLayout.HEAD, header);
        return header + consumerMaySleep + bytes.getInt(RingLayout.PRODUCER_MAY_SLEEP);
    }
}
