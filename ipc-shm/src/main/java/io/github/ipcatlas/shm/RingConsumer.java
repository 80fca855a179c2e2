package io.github.ipcatlas.shm;

import static io.github.ipcatlas.shm.RingLayout.HEAD;
import static io.github.ipcatlas.shm.RingLayout.PADDING;
import static io.github.ipcatlas.shm.RingLayout.RECORD_HEADER;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * The consuming side of a {@link ShmRing}: reads records in place, in batches, or copies one out.
 *
 * <pre>{@code
 * int n = consumer.read((memory, offset, length) -> process(memory, offset, length), 100);  // up to 100, in place
 * int length = consumer.receive(buffer, timeout);                                          // or copy one out
 * }</pre>
 *
 * <p>After a batch the consumer commits its position once ({@code head}), which also hands the space back to the
 * producer. One consumer thread at a time, in one process at a time; not thread-safe. Allocates nothing per record.
 *
 * <p><b>What a crash leaves behind.</b> Records a consumer committed are never delivered again; records it was given
 * but had not committed when it died are delivered again to the next consumer (at least once, never torn). A new
 * consumer that {@linkplain ShmRing#consumer attaches} starts at the committed position.
 *
 * <p><b>Untrusted memory.</b> Another process can write anything into the segment. Every length, type and position
 * read from it is checked before use (a malformed record is an {@link IOException} naming it), and every wait ends at
 * its deadline whatever the memory says.
 */
public final class RingConsumer {
    private final MappedFile memory;
    private final RingBytes bytes;
    private final long capacity;
    private final long mask;
    private final int maxPayload;
    private final RingWaiter waiter;
    private final RingWaiter.Condition recordReady = this::recordReady;
    /** Where reading has got to: records and padding before it are consumed, not necessarily committed. */
    private long head;
    /** What has been committed, and so handed back to the producer. */
    private long committed;
    /** {@link #receive} commits once this many bytes were read since the last commit (or before it waits). */
    private final long commitEvery;

    RingConsumer(MappedFile memory, long capacity, ShmRing.WaitStrategy strategy) throws IOException {
        this.memory = memory;
        this.bytes = new RingBytes(memory, capacity);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxPayload = RingLayout.maxPayload(capacity);
        this.commitEvery = capacity / 4;
        this.waiter = new RingWaiter(bytes, strategy, RingLayout.CONSUMER_SLEEPING, RingLayout.DATA_SIGNAL,
                RingLayout.CONSUMER_MAY_SLEEP, RingLayout.PRODUCER_SLEEPING, RingLayout.SPACE_SIGNAL,
                RingLayout.PRODUCER_MAY_SLEEP);
        head = committed = ShmRing.position(memory, HEAD, 0, Long.MAX_VALUE, "head");
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, in order, without waiting, then commits them.
     *
     * @return how many records were handed over (0: none committed yet)
     * @throws IOException if a record is malformed (another process wrote garbage into the ring)
     */
    public int read(RecordHandler handler, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        }
        Objects.requireNonNull(handler, "handler");
        bytes.ensureOpen();
        int count = 0;
        try {
            while (count < limit) {
                int length = nextLength();
                if (length < 0) {
                    break;
                }
                long at = bytes.offset(head) + RECORD_HEADER;
                head += RingLayout.align(RECORD_HEADER + (long) length);
                count++;
                handler.onRecord(memory, at, length);
            }
        } catch (IOException | RuntimeException | Error failure) {
            try {
                commit(); // the records handed over count as consumed, the failing one too
            } catch (IOException | RuntimeException secondary) {
                failure.addSuppressed(secondary);
            }
            throw failure;
        }
        commit();
        return count;
    }

    /**
     * Copies the next record into {@code into} (which needs room for it), waiting as long as it takes. Consumption is
     * committed in batches: once a quarter of the ring has been read, before any wait, and by {@link #commit()}; a
     * consumer that dies in between has what it read since delivered again to the next one.
     *
     * @return the payload length
     */
    public int receive(ByteBuffer into) throws IOException {
        return receive(into, Long.MAX_VALUE);
    }

    /**
     * Copies the next record into {@code into} (which needs room for it), waiting at most {@code timeout}.
     *
     * @return the payload length, or -1 if nothing came before the deadline (a producer that stopped, say)
     * @throws IllegalArgumentException if the record does not fit in {@code into} (it stays in the ring)
     */
    public int receive(ByteBuffer into, Duration timeout) throws IOException {
        return receive(into, waiter.nanos(timeout));
    }

    private int receive(ByteBuffer into, long timeoutNanos) throws IOException {
        if (Objects.requireNonNull(into, "into").isReadOnly()) {
            throw new IllegalArgumentException("cannot receive into a read-only buffer");
        }
        bytes.ensureOpen();
        int length = nextLength();
        if (length < 0 && (length = awaitRecord(timeoutNanos)) < 0) {
            return -1;
        }
        if (into.remaining() < length) {
            throw new IllegalArgumentException("record of " + length + " bytes does not fit in " + into.remaining());
        }
        bytes.copyOut(bytes.offset(head) + RECORD_HEADER, into, length);
        head += RingLayout.align(RECORD_HEADER + (long) length);
        if (head - committed >= commitEvery) {
            commit();
        }
        return length;
    }

    /** Waits for the next message record, within one budget; its payload length, or -1 at the deadline. */
    private int awaitRecord(long timeoutNanos) throws IOException {
        waiter.begin(timeoutNanos); // one budget for every wait of this call
        int length;
        while ((length = nextLength()) < 0) { // a header another process zeroed again must not pass for a record
            commit(); // what was read is handed back before waiting: the producer may be waiting for it
            if (!waiter.await(recordReady)) {
                return -1;
            }
        }
        return length;
    }

    /** Waits at most {@code timeout} until a record is committed; true if one is. */
    public boolean await(Duration timeout) throws IOException {
        bytes.ensureOpen();
        if (recordReady()) {
            return true;
        }
        commit();
        waiter.begin(waiter.nanos(timeout));
        return waiter.await(recordReady);
    }

    /** Whether a message record is committed at the position, skipping (and consuming) padding on the way. */
    private boolean recordReady() throws IOException {
        return nextLength() >= 0;
    }

    /**
     * The payload length of the message committed at {@code head}, or -1 if none is. Padding is consumed on the way
     * (committed with the next commit).
     */
    private int nextLength() throws IOException {
        long header = bytes.getLongAcquire(bytes.offset(head));
        int length = RingLayout.headerLength(header);
        if (length == 0) {
            return -1;
        }
        int type = RingLayout.headerType(header);
        if (ShmRing.wholeMessage(length, type, capacity - (head & mask), maxPayload)) {
            return length - RECORD_HEADER; // the common case, checked inline
        }
        return afterPadding(length, type);
    }

    /** {@link #nextLength} for anything but a plain message: a padding record (consumed), or a malformed record. */
    private int afterPadding(int length, int type) throws IOException {
        ShmRing.checkRecord(memory, head, capacity, length, type); // a padding record, or the error naming the record
        if (type != PADDING) {
            return length - RECORD_HEADER;
        }
        head += length;
        long header = bytes.getLongAcquire(bytes.offset(head));
        length = RingLayout.headerLength(header);
        if (length == 0) {
            return -1;
        }
        type = RingLayout.headerType(header);
        if (type == PADDING) { // at most one padding can precede a message
            throw new IOException("ring in " + memory.file() + ": two padding records in a row at position " + head
                    + " (another process wrote them)");
        }
        ShmRing.checkRecord(memory, head, capacity, length, type);
        return length - RECORD_HEADER;
    }

    /**
     * Commits everything read so far, handing the space back to the producer: a record read before this call is
     * never delivered again, whatever happens to this process. {@link #read} commits each batch itself.
     */
    public void commit() throws IOException {
        if (head != committed) {
            bytes.ensureOpen();
            committed = head;
            bytes.setLongRelease(HEAD, head);
            waiter.wakePeer();
        }
    }
}
