package io.github.ipcatlas.shm;

import static io.github.ipcatlas.shm.RingLayout.DATA;
import static io.github.ipcatlas.shm.RingLayout.HEAD;
import static io.github.ipcatlas.shm.RingLayout.MESSAGE;
import static io.github.ipcatlas.shm.RingLayout.PADDING;
import static io.github.ipcatlas.shm.RingLayout.RECORD_HEADER;
import static io.github.ipcatlas.shm.RingLayout.TAIL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * The producing side of a {@link ShmRing}: claims room for a record, lets the caller write it in place, commits it.
 *
 * <pre>{@code
 * long at = producer.claim(length, timeout);          // -1: no room before the deadline
 * if (at >= 0) {
 *     memory.putLong(at, orderId);                     // write the payload in place, at [at, at + length)
 *     ...
 *     producer.commit();                               // one release store: the record is now visible, whole
 * }
 * producer.send(buffer);                               // or copy a buffer in: claim + put + commit
 * }</pre>
 *
 * <p>The producer keeps the consumer's position cached and reads the shared one only when the cache says the ring is
 * full; its own position goes to the segment with each commit, on a cache line of its own. One producer thread at a
 * time, in one process at a time; not thread-safe. Allocates nothing per record.
 *
 * <p><b>What a crash leaves behind.</b> A producer killed at any instruction leaves every record it committed, whole;
 * a record it had claimed but not committed is not visible (its length field is still 0). A new producer that
 * {@linkplain ShmRing#producer attaches} walks the committed records to their end and goes on from there.
 */
public final class RingProducer {
    private final MappedFile memory;
    private final RingBytes bytes;
    private final long capacity;
    private final long mask;
    private final int maxPayload;
    private final RingWaiter waiter;
    private final RingWaiter.Condition roomForClaim = this::roomFor;
    private long tail;
    private long headCache;
    private long claimedAt = -1;
    private long claimedBytes;
    private int claimedLength;
    private long wanted;

    RingProducer(MappedFile memory, long capacity, ShmRing.WaitStrategy strategy) throws IOException {
        this.memory = memory;
        this.bytes = new RingBytes(memory, capacity);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxPayload = RingLayout.maxPayload(capacity);
        this.waiter = new RingWaiter(bytes, strategy, RingLayout.PRODUCER_SLEEPING, RingLayout.SPACE_SIGNAL,
                RingLayout.PRODUCER_MAY_SLEEP, RingLayout.CONSUMER_SLEEPING, RingLayout.DATA_SIGNAL,
                RingLayout.CONSUMER_MAY_SLEEP);
        this.headCache = ShmRing.position(memory, HEAD, 0, Long.MAX_VALUE, "head");
        this.tail = recover();
    }

    /** Largest payload of one record. */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Claims room for a record of {@code length} payload bytes, waiting at most {@code timeout} for the consumer to
     * free it.
     *
     * @return the offset in the mapping where the payload goes ({@code length} bytes; write them, then
     *         {@link #commit()} or {@link #abort()}), or -1 if the ring stayed full until the deadline
     * @throws IllegalArgumentException if {@code length} is negative or above {@link #maxPayload()}
     * @throws IllegalStateException if a claim is already open
     */
    public long claim(int length, Duration timeout) throws IOException {
        return claim(length, waiter.nanos(timeout));
    }

    /** {@link #claim(int, Duration)} without waiting: -1 if there is no room now. */
    public long tryClaim(int length) throws IOException {
        return claim(length, 0);
    }

    private long claim(int length, long timeoutNanos) throws IOException {
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("record of " + length + " bytes: the ring carries 0 to " + maxPayload);
        }
        if (claimedAt >= 0) {
            throw new IllegalStateException("a claim of " + claimedLength + " bytes is open: commit or abort it first");
        }
        bytes.ensureOpen();
        long recordBytes = RingLayout.recordBytes(length);
        long untilEnd = capacity - (tail & mask);
        // a record never wraps: pad to the end first; and the next record's header must stay clear of the head
        wanted = (untilEnd < recordBytes ? untilEnd + recordBytes : recordBytes) + RingLayout.ALIGNMENT;
        if (!roomFor()) {
            waiter.begin(timeoutNanos);
            if (!waiter.await(roomForClaim)) {
                return -1;
            }
        }
        if (untilEnd < recordBytes) {
            bytes.putLong(DATA, 0); // the header after the padding, clear before the padding is committed
            bytes.setLongRelease(bytes.offset(tail), RingLayout.header((int) untilEnd, PADDING));
            tail += untilEnd;
        }
        claimedAt = tail;
        claimedBytes = recordBytes;
        claimedLength = length;
        return bytes.offset(tail) + RECORD_HEADER;
    }

    /** Publishes the claimed record: one release store of its header makes it visible, whole. */
    public void commit() throws IOException {
        int at = openClaim();
        bytes.ensureOpen();
        publish(at, claimedLength, claimedBytes);
        claimedAt = -1;
        waiter.wakePeer();
    }

    /**
     * Commits the record of {@code length} payload bytes written at {@code at}, the ring's offset of {@link #tail}:
     * clears the next header, then one release store of this one, then the shared tail.
     */
    private void publish(int at, int length, long recordBytes) {
        long next = tail + recordBytes;
        bytes.putLong(bytes.offset(next), 0); // the next header reads "nothing yet" before this one is seen
        bytes.setLongRelease(at, RingLayout.header(RECORD_HEADER + length, MESSAGE));
        tail = next;
        bytes.setLongRelease(TAIL, next);
    }

    /**
     * Whether a record of {@code length} bytes can be sent at once, as {@link #send} does it: no claim open, no padding
     * needed before it, and room for it by the cached head.
     */
    private boolean fitsNow(int length) {
        long recordBytes = RingLayout.recordBytes(length);
        return length <= maxPayload && claimedAt < 0 && recordBytes <= capacity - (tail & mask)
                && tail + recordBytes + RingLayout.ALIGNMENT - headCache <= capacity;
    }

    /** Gives the claimed room back unpublished: its header was never written, so nobody will read what is in it. */
    public void abort() {
        openClaim();
        claimedAt = -1;
    }

    /** Sends {@code message}'s remaining bytes as one record, waiting as long as it takes for room. */
    public void send(ByteBuffer message) throws IOException {
        send(message, Long.MAX_VALUE);
    }

    /**
     * Sends {@code message}'s remaining bytes as one record, waiting at most {@code timeout} for room.
     *
     * @return false if the ring stayed full until the deadline (a consumer that stopped, say)
     */
    public boolean send(ByteBuffer message, Duration timeout) throws IOException {
        return send(message, waiter.nanos(timeout));
    }

    private boolean send(ByteBuffer message, long timeoutNanos) throws IOException {
        int length = message.remaining();
        if (fitsNow(length)) { // the common case, without a claim's bookkeeping
            bytes.ensureOpen();
            int at = bytes.offset(tail);
            bytes.copyIn(at + RECORD_HEADER, message, length);
            publish(at, length, RingLayout.recordBytes(length));
            waiter.wakePeer();
            return true;
        }
        long at = claim(length, timeoutNanos);
        if (at < 0) {
            return false;
        }
        try {
            bytes.copyIn((int) at, message, length);
        } catch (RuntimeException | Error e) { // the mapping closed or truncated under us, say: leave no claim open
            abort();
            throw e;
        }
        commit();
        return true;
    }

    /** Whether {@link #wanted} bytes are free; reads the consumer's position only when the cached one says no. */
    private boolean roomFor() throws IOException {
        if (tail + wanted - headCache <= capacity) {
            return true;
        }
        headCache = ShmRing.position(memory, HEAD, tail - capacity, tail, "head");
        return tail + wanted - headCache <= capacity;
    }

    private int openClaim() {
        if (claimedAt < 0) {
            throw new IllegalStateException("no claim is open");
        }
        return bytes.offset(claimedAt);
    }

    /**
     * Where the committed records end: from the last published tail, or the consumer's position if that is further
     * (the consumer may have read past a tail that a producer died before publishing), over committed records to the
     * first zero length. A claim that died before its commit left its header zero, so the walk stops there.
     */
    private long recover() throws IOException {
        long end = Math.max(ShmRing.position(memory, TAIL, 0, headCache + capacity, "tail"), headCache);
        for (long length; end - headCache < capacity && (length = committedLength(end)) > 0; ) {
            end += length;
        }
        bytes.setLongRelease(TAIL, end);
        return end;
    }

    /** The aligned length of the committed record at {@code position}, 0 if none; throws for a malformed one. */
    private long committedLength(long position) throws IOException {
        long header = bytes.getLongAcquire(bytes.offset(position));
        int length = RingLayout.headerLength(header);
        if (length == 0) {
            return 0;
        }
        ShmRing.checkRecord(memory, position, capacity, length, RingLayout.headerType(header));
        return RingLayout.align(length);
    }
}
