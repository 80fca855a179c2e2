package io.github.ipcatlas.shm;

import static io.github.ipcatlas.shm.RingLayout.CAPACITY;
import static io.github.ipcatlas.shm.RingLayout.CONSUMER_PARKED;
import static io.github.ipcatlas.shm.RingLayout.DATA;
import static io.github.ipcatlas.shm.RingLayout.DATA_READY;
import static io.github.ipcatlas.shm.RingLayout.HEAD;
import static io.github.ipcatlas.shm.RingLayout.PADDING;
import static io.github.ipcatlas.shm.RingLayout.PRODUCER_PARKED;
import static io.github.ipcatlas.shm.RingLayout.RECORD_HEADER;
import static io.github.ipcatlas.shm.RingLayout.RECORD_LENGTH;
import static io.github.ipcatlas.shm.RingLayout.RECORD_SEQUENCE;
import static io.github.ipcatlas.shm.RingLayout.SEMAPHORE_BYTES;
import static io.github.ipcatlas.shm.RingLayout.SPACE_FREE;
import static io.github.ipcatlas.shm.RingLayout.TAIL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.internal.Native;
import io.github.ipcatlas.core.internal.RealtimeTimespec;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.internal.NativeAccess;
import io.github.ipcatlas.shm.internal.ShmSemLibC;

/**
 * A single-producer, single-consumer message channel in shared memory: one process {@link #send}s, another
 * {@link #receive}s, records of any length up to a quarter of the ring pass through without a system call. Laid out
 * as {@link RingLayout} describes; every record carries its length and a sequence number, so a stale or torn read is
 * detected (and reported) rather than delivered.
 *
 * <p><b>Waiting.</b> {@link WaitStrategy#SPIN}: both sides busy-wait (lowest latency, a core each).
 * {@link WaitStrategy#BLOCK}: a side with nothing to do announces that it parks (a flag), re-checks, and sleeps on a
 * process-shared semaphore in the segment; the other side posts it after publishing. The flag store and the re-check
 * are volatile (sequentially consistent) on both sides, so a wake-up is never lost.
 *
 * <p>One producer thread and one consumer thread, in any processes. Send and receive allocate nothing. The ring is a
 * view of its {@link MappedFile}: once that is closed, send and receive throw {@link IllegalStateException}; a side
 * asleep on a semaphore keeps the memory mapped until it wakes.
 */
public final class ShmRing {
    /** How a side waits for data or room. */
    public enum WaitStrategy {
        /** Busy-wait with {@link Thread#onSpinWait()}. */
        SPIN,
        /** Park on a process-shared semaphore after a short announcement handshake. */
        BLOCK
    }

    private final MappedFile memory;
    private final long capacity;
    private final long mask;
    private final WaitStrategy strategy;
    // each side's own counters and timespec scratch, kept locally; only the other side's are read from shared memory
    private long sendSequence;
    private long receiveSequence;
    private final RealtimeTimespec producerTimespec = new RealtimeTimespec();
    private final RealtimeTimespec consumerTimespec = new RealtimeTimespec();
    private static final long FOREVER = Long.MIN_VALUE;

    private ShmRing(MappedFile memory, WaitStrategy strategy) {
        this.memory = memory;
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.capacity = memory.getLongVolatile(CAPACITY); // written by another process: checked before any use
        if (capacity < 64 || Long.bitCount(capacity) != 1 || capacity > memory.length() - RingLayout.DATA) {
            throw new IllegalArgumentException("no ring here: capacity field " + capacity + " in a " + memory.length()
                    + "-byte mapping");
        }
        this.mask = capacity - 1;
    }

    /**
     * Lays out a new, empty ring of {@code capacity} data bytes (a power of two, at least 64) at the start of
     * {@code memory}. Call once, before the other side attaches.
     */
    public static ShmRing initialize(MappedFile memory, long capacity, WaitStrategy strategy) throws IOException {
        if (capacity < 64 || Long.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + " must be a power of two, at least 64");
        }
        if (RingLayout.segmentBytes(capacity) > memory.length()) {
            throw new IllegalArgumentException("a ring of " + capacity + " bytes needs a segment of "
                    + RingLayout.segmentBytes(capacity) + " bytes; this one has " + memory.length());
        }
        for (long offset : new long[] {HEAD, TAIL, CONSUMER_PARKED, PRODUCER_PARKED}) {
            memory.setLongVolatile(offset, 0);
        }
        for (int semaphore : new int[] {DATA_READY, SPACE_FREE}) {
            long address = NativeAccess.acquire(memory, semaphore, SEMAPHORE_BYTES);
            try {
                if (sem().sem_init(address, 1, 0) != 0) {
                    throw Errors.of("sem_init", "ring in " + memory.file(), Native.errno());
                }
            } finally {
                NativeAccess.release(memory);
            }
        }
        memory.setLongVolatile(CAPACITY, capacity);
        return new ShmRing(memory, strategy);
    }

    /** The ring another process initialised at the start of {@code memory}. */
    public static ShmRing attach(MappedFile memory, WaitStrategy strategy) {
        return new ShmRing(memory, strategy);
    }

    /** Largest payload one record may carry: a quarter of the ring, less its header. */
    public int maxMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, capacity / 4 - RECORD_HEADER);
    }

    /** Sends {@code message}'s remaining bytes as one record, waiting for room. Producer side only. */
    public void send(ByteBuffer message) throws IOException {
        send(message, FOREVER);
    }

    /**
     * Sends {@code message}'s remaining bytes as one record, waiting at most {@code timeout} for room.
     *
     * @return false if the ring stayed full until the deadline (a consumer that stopped, say)
     */
    public boolean send(ByteBuffer message, Duration timeout) throws IOException {
        return send(message, System.nanoTime() + Deadline.check(timeout).toNanos());
    }

    private boolean send(ByteBuffer message, long deadline) throws IOException {
        int length = message.remaining();
        if (length > maxMessageBytes()) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the ring's limit of "
                    + maxMessageBytes());
        }
        long size = RingLayout.recordBytes(length);
        long head = memory.getLongAcquire(HEAD);
        long untilEnd = capacity - (head & mask);
        long needed = untilEnd < size ? untilEnd + size : size; // a record never wraps: pad to the end first
        for (int spins = 0; capacity - (head - memory.getLongAcquire(TAIL)) < needed; spins++) {
            if (!awaitRoom(needed, head, deadline, spins)) {
                return false;
            }
        }
        if (untilEnd < size) {
            memory.putInt(DATA + (head & mask) + RECORD_LENGTH, PADDING);
            head += untilEnd;
        }
        long at = DATA + (head & mask);
        memory.putInt(at + RECORD_SEQUENCE, (int) sendSequence++);
        memory.put(at + RECORD_HEADER, message);
        memory.putInt(at + RECORD_LENGTH, length);
        publish(head + size);
        return true;
    }

    /**
     * Receives the next record into {@code into} (which needs room for it), waiting for one. Consumer side only.
     *
     * @return the payload length
     * @throws IOException if the record's sequence number is not the next one (stale or torn data)
     */
    public int receive(ByteBuffer into) throws IOException {
        return receive(into, FOREVER);
    }

    /**
     * Receives the next record into {@code into}, waiting at most {@code timeout}.
     *
     * @return the payload length, or -1 if nothing came before the deadline (a producer that stopped, say)
     */
    public int receive(ByteBuffer into, Duration timeout) throws IOException {
        return receive(into, System.nanoTime() + Deadline.check(timeout).toNanos());
    }

    private int receive(ByteBuffer into, long deadline) throws IOException {
        long tail = memory.getLongAcquire(TAIL);
        while (true) {
            for (int spins = 0; memory.getLongAcquire(HEAD) == tail; spins++) {
                if (!awaitData(tail, deadline, spins)) {
                    return -1;
                }
            }
            long at = DATA + (tail & mask);
            int length = memory.getInt(at + RECORD_LENGTH);
            if (length == PADDING) {
                tail += capacity - (tail & mask);
                continue;
            }
            int sequence = memory.getInt(at + RECORD_SEQUENCE);
            if (sequence != (int) receiveSequence || length < 0 || length > maxMessageBytes()) {
                throw new IOException("ring record at " + (tail & mask) + " is stale or torn: sequence " + sequence
                        + ", expected " + (int) receiveSequence + "; length " + length);
            }
            if (into.remaining() < length) {
                throw new IllegalArgumentException("record of " + length + " bytes does not fit in " + into.remaining());
            }
            int limit = into.limit();
            into.limit(into.position() + length);
            memory.get(at + RECORD_HEADER, into);
            into.limit(limit);
            receiveSequence++;
            consume(tail + RingLayout.recordBytes(length));
            return length;
        }
    }

    private void publish(long head) throws IOException {
        if (strategy == WaitStrategy.SPIN) {
            memory.setLongRelease(HEAD, head);
            return;
        }
        memory.setLongVolatile(HEAD, head);            // volatile: ordered before the flag read below
        if (memory.getLongVolatile(CONSUMER_PARKED) != 0 && memory.compareAndSetLong(CONSUMER_PARKED, 1, 0)) {
            post(DATA_READY);
        }
    }

    private void consume(long tail) throws IOException {
        if (strategy == WaitStrategy.SPIN) {
            memory.setLongRelease(TAIL, tail);
            return;
        }
        memory.setLongVolatile(TAIL, tail);
        if (memory.getLongVolatile(PRODUCER_PARKED) != 0 && memory.compareAndSetLong(PRODUCER_PARKED, 1, 0)) {
            post(SPACE_FREE);
        }
    }

    /** One wait for data; false once the deadline has passed. */
    private boolean awaitData(long tail, long deadline, int spins) throws IOException {
        if (strategy == WaitStrategy.SPIN) {
            Thread.onSpinWait();
            return (spins & 0xfff) != 0 || deadline == FOREVER || System.nanoTime() - deadline < 0;
        }
        memory.setLongVolatile(CONSUMER_PARKED, 1);     // announce, then re-check: the producer reads the flag
        if (memory.getLongVolatile(HEAD) != tail) {      // after publishing, so one of us sees the other
            memory.compareAndSetLong(CONSUMER_PARKED, 1, 0);
            return true;
        }
        return await(DATA_READY, deadline, consumerTimespec);
    }

    /** One wait for room; false once the deadline has passed. */
    private boolean awaitRoom(long needed, long head, long deadline, int spins) throws IOException {
        if (strategy == WaitStrategy.SPIN) {
            Thread.onSpinWait();
            return (spins & 0xfff) != 0 || deadline == FOREVER || System.nanoTime() - deadline < 0;
        }
        memory.setLongVolatile(PRODUCER_PARKED, 1);
        if (capacity - (head - memory.getLongVolatile(TAIL)) >= needed) {
            memory.compareAndSetLong(PRODUCER_PARKED, 1, 0);
            return true;
        }
        return await(SPACE_FREE, deadline, producerTimespec);
    }

    /**
     * Sleeps on the semaphore at {@code offset} until posted (true) or the deadline (false); the caller re-checks
     * either way. The wait holds a lease: a close meanwhile leaves the semaphore mapped until it returns.
     */
    private boolean await(int offset, long deadline, RealtimeTimespec timespec) throws IOException {
        long semaphore = NativeAccess.acquire(memory, offset, SEMAPHORE_BYTES);
        try {
            while (true) {
                int result;
                if (deadline == FOREVER) {
                    result = sem().sem_wait(semaphore);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    result = sem().sem_timedwait(semaphore, timespec.fromNow(left));
                }
                if (result == 0) {
                    return true;
                }
                int errno = Native.errno();
                if (errno == Errors.ETIMEDOUT) {
                    continue; // the loop above decides on the monotonic clock
                }
                if (errno != Errors.EINTR) {
                    throw Errors.of("sem_wait", "ring in " + memory.file(), errno);
                }
            }
        } finally {
            NativeAccess.release(memory);
        }
    }

    private void post(int offset) throws IOException {
        long semaphore = NativeAccess.acquire(memory, offset, SEMAPHORE_BYTES);
        try {
            if (sem().sem_post(semaphore) != 0) {
                throw Errors.of("sem_post", "ring in " + memory.file(), Native.errno());
            }
        } finally {
            NativeAccess.release(memory);
        }
    }

    private static ShmSemLibC sem() {
        return Binding.SEM;
    }

    private static final class Binding {
        static final ShmSemLibC SEM = NativeLibrary.load(ShmSemLibC.class, "c");
    }
}
