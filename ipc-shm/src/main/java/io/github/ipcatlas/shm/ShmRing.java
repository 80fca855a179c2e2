package io.github.ipcatlas.shm;

import static io.github.ipcatlas.shm.RingLayout.CAPACITY;
import static io.github.ipcatlas.shm.RingLayout.DATA;
import static io.github.ipcatlas.shm.RingLayout.MAGIC;
import static io.github.ipcatlas.shm.RingLayout.MAGIC_FIELD;

import java.io.IOException;
import java.util.Objects;

import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.NativeAccess;

/**
 * A single-producer, single-consumer channel of records in shared memory, laid out as {@link RingLayout} describes:
 * records with payloads of up to a quarter of the ring less 8 header bytes pass between two processes without a
 * system call, written and read in place.
 *
 * <pre>{@code
 * ShmRing.initialize(segment.memory(), 1 << 20);                          // once, by the creator
 * RingProducer producer = ShmRing.producer(memory, WaitStrategy.BLOCK);   // in one process
 * RingConsumer consumer = ShmRing.consumer(memory, WaitStrategy.BLOCK);   // in another
 * }</pre>
 *
 * <p><b>Why it is fast.</b> A record is committed by one release store of its length, and read by the consumer
 * polling that length — the data itself is the signal, so neither side reads the other's position on the fast path.
 * The producer reads the consumer's position only when its cached copy says the ring is full; the consumer commits
 * its position once per batch. Positions sit on cache lines of their own. Nothing is allocated per record.
 *
 * <p><b>Waiting.</b> {@link WaitStrategy#SPIN} busy-waits (lowest latency, a core per waiting side);
 * {@link WaitStrategy#YIELD} spins briefly, then yields the CPU between checks; {@link WaitStrategy#BLOCK} spins,
 * yields, then sleeps in {@code futex(2)} on a word in the segment — and the other side makes the wake system call
 * only when the sleeper announced itself. Every wait takes a deadline.
 *
 * <p><b>One producer, one consumer.</b> Nothing in the segment records who they are: a second producer (or consumer)
 * attaching while the first still runs — a restarted service whose old instance is still up — corrupts the stream
 * without an error. Serialise them (a {@link io.github.ipcatlas.mmap.FileRegionLock}, say), as with any
 * single-writer structure.
 *
 * <p><b>Crashes.</b> All state two processes agree on is in the segment. A producer or consumer killed at any
 * instruction can be replaced by a new process that attaches with {@link #producer} or {@link #consumer}: committed
 * records are never lost or torn, uncommitted ones never seen; see {@link RingProducer} and {@link RingConsumer}.
 *
 * <p><b>Lifetime.</b> Producer and consumer are views of their {@link MappedFile}: once it is closed they throw
 * {@link IllegalStateException}; a side asleep in the kernel keeps the memory mapped until it wakes.
 */
public final class ShmRing {
    /** How a side waits for data or room. */
    public enum WaitStrategy {
        /** Busy-wait with {@link Thread#onSpinWait()}: lowest latency, burns a core while waiting. */
        SPIN,
        /** Spin briefly, then {@link Thread#yield()} between checks. */
        YIELD,
        /** Spin, yield, then sleep in {@code futex(2)} until woken (or the deadline). */
        BLOCK
    }

    private ShmRing() {
    }

    /**
     * Lays out a new, empty ring of {@code capacity} data bytes (a power of two from {@link RingLayout#MIN_CAPACITY}
     * to {@link RingLayout#MAX_CAPACITY}) at the start of {@code memory}. Call once, before either side attaches; it
     * clears the data area.
     */
    public static void initialize(MappedFile memory, long capacity) {
        NativeAccess.requireShared(Objects.requireNonNull(memory, "memory"));
        if (!validCapacity(capacity)) {
            throw new IllegalArgumentException("ring capacity " + capacity + " must be a power of two from "
                    + RingLayout.MIN_CAPACITY + " to " + RingLayout.MAX_CAPACITY);
        }
        if (capacity > memory.length() - DATA) {
            throw new IllegalArgumentException("a ring of " + capacity + " bytes needs " + RingLayout.segmentBytes(capacity)
                    + " bytes of mapping; this one has " + memory.length());
        }
        memory.setLongVolatile(MAGIC_FIELD, 0); // not a ring while it is laid out
        memory.zero(CAPACITY, DATA - CAPACITY + capacity);
        memory.setLongVolatile(CAPACITY, capacity);
        memory.setLongVolatile(MAGIC_FIELD, MAGIC);
    }

    /** The producing side of the ring at the start of {@code memory}, recovering from a producer that died. */
    public static RingProducer producer(MappedFile memory, WaitStrategy strategy) throws IOException {
        return new RingProducer(memory, capacity(memory), Objects.requireNonNull(strategy, "strategy"));
    }

    /** The consuming side of the ring at the start of {@code memory}, finishing what a dead consumer committed. */
    public static RingConsumer consumer(MappedFile memory, WaitStrategy strategy) throws IOException {
        return new RingConsumer(memory, capacity(memory), Objects.requireNonNull(strategy, "strategy"));
    }

    /** The ring's capacity, checked: it was written by another process. */
    private static long capacity(MappedFile memory) throws IOException {
        NativeAccess.requireShared(Objects.requireNonNull(memory, "memory")); // both sides write into the segment
        if (memory.length() < DATA || memory.getLongVolatile(MAGIC_FIELD) != MAGIC) {
            throw new IOException("no ring in " + memory.file() + ": its first 8 bytes are not IPCRING2");
        }
        long capacity = memory.getLongVolatile(CAPACITY);
        if (!validCapacity(capacity) || capacity > memory.length() - DATA) {
            throw new IOException("no ring in " + memory.file() + ": capacity field " + capacity + " in a "
                    + memory.length() + "-byte mapping");
        }
        return capacity;
    }

    private static boolean validCapacity(long capacity) {
        return capacity >= RingLayout.MIN_CAPACITY && capacity <= RingLayout.MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    /** A position field read from the segment, checked to lie in {@code [min, max]}. */
    static long position(MappedFile memory, int field, long min, long max, String name) throws IOException {
        long value = memory.getLongAcquire(field);
        if (value < min || value > max || (value & (RingLayout.ALIGNMENT - 1)) != 0) {
            throw new IOException("ring in " + memory.file() + ": its " + name + " position " + value + " is outside ["
                    + min + ", " + max + "] or misaligned; another process wrote it");
        }
        return value;
    }

    /** Checks a committed record's header at {@code position}: a length that fits, a known type. */
    static void checkRecord(MappedFile memory, long position, long capacity, int length, int type) throws IOException {
        long untilEnd = capacity - (position & (capacity - 1));
        boolean valid = type == RingLayout.PADDING ? length == untilEnd
                : wholeMessage(length, type, untilEnd, RingLayout.maxPayload(capacity));
        if (!valid) {
            throw malformed(memory, position, length, type);
        }
    }

    /**
     * Whether a header of {@code length} and {@code type} is a message record that fits: at least its header, at most
     * {@code maxPayload} of payload, and no further than the {@code untilEnd} bytes left before the ring's end.
     */
    static boolean wholeMessage(int length, int type, long untilEnd, int maxPayload) {
        return type == RingLayout.MESSAGE && length >= RingLayout.RECORD_HEADER
                && length - RingLayout.RECORD_HEADER <= maxPayload && RingLayout.align(length) <= untilEnd;
    }

    /** Kept out of {@link #checkRecord}, which runs for every record and so should stay small enough to inline. */
    private static IOException malformed(MappedFile memory, long position, int length, int type) {
        return new IOException("ring in " + memory.file() + ": malformed record at position " + position + " (length "
                + length + ", type " + type + "); another process wrote it");
    }
}
