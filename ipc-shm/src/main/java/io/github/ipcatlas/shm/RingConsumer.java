package io.github.ipcatlas.shm;

import static io.github.ipcatlas.shm.RingLayout.CONSUMED;
import static io.github.ipcatlas.shm.RingLayout.DATA;
import static io.github.ipcatlas.shm.RingLayout.HEAD;
import static io.github.ipcatlas.shm.RingLayout.PADDING;
import static io.github.ipcatlas.shm.RingLayout.RECORD_HEADER;
import static io.github.ipcatlas.shm.RingLayout.RECORD_LENGTH;
import static io.github.ipcatlas.shm.RingLayout.RECORD_TYPE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * The consuming side of a {@link ShmRing}: reads records in place, in batches, or copies one out.
 *
 * <pre>{@code
 * int n = consumer.read((memory, offset, length) -> process(memory, offset, length), 100);  // up to 100, in place
 * int length = consumer.receive(buffer, timeout);                                          // or copy one out
 * }</pre>
 *
 * <p>After a batch the consumer commits its position once ({@code consumed}), clears the bytes it read (so that a
 * zero length means "nothing yet" when the producer comes round again) and then releases them to the producer
 * ({@code head}). One consumer thread at a time, in one process at a time; not thread-safe. Allocates nothing per
 * record.
 *
 * <p><b>What a crash leaves behind.</b> Records a consumer committed are never delivered again; records it was given
 * but had not committed when it died are delivered again to the next consumer (at least once, never torn). A new
 * consumer that {@linkplain ShmRing#consumer attaches} finishes clearing what the dead one had committed and goes on.
 *
 * <p><b>Untrusted memory.</b> Another process can write anything into the segment. Every length, type and position
 * read from it is checked before use (a malformed record is an {@link IOException} naming it), and every wait ends at
 * its deadline whatever the memory says.
 */
public final class RingConsumer {
    private final MappedFile memory;
    private final long capacity;
    private final long mask;
    private final RingWaiter waiter;
    private final RingWaiter.Condition recordReady = this::recordReady;
    /** Where reading has got to: records and padding before it are consumed, not necessarily committed. */
    private long head;
    /** What has been committed, cleared and released to the producer. */
    private long released;

    RingConsumer(MappedFile memory, long capacity, ShmRing.WaitStrategy strategy) throws IOException {
        this.memory = memory;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.waiter = new RingWaiter(memory, strategy, RingLayout.CONSUMER_SLEEPING, RingLayout.DATA_SIGNAL,
                RingLayout.PRODUCER_SLEEPING, RingLayout.SPACE_SIGNAL);
        released = ShmRing.position(memory, HEAD, 0, Long.MAX_VALUE, "head");
        head = ShmRing.position(memory, CONSUMED, released, released + capacity, "consumed");
        release(); // a consumer that died between its commit and the release left this to finish
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
        int count = 0;
        try {
            while (count < limit) {
                int length = nextLength();
                if (length < 0) {
                    break;
                }
                long at = DATA + (head & mask) + RECORD_HEADER;
                head += RingLayout.align(RECORD_HEADER + (long) length);
                count++;
                handler.onRecord(memory, at, length);
            }
        } finally {
            commit();
        }
        return count;
    }

    /**
     * Copies the next record into {@code into} (which needs room for it), waiting as long as it takes.
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
        return receive(into, RingWaiter.deadline(Deadline.check(timeout).toNanos()));
    }

    private int receive(ByteBuffer into, long deadline) throws IOException {
        if (!recordReady() && !waiter.await(recordReady, deadline)) {
            return -1;
        }
        int length = nextLength();
        if (into.remaining() < length) {
            throw new IllegalArgumentException("record of " + length + " bytes does not fit in " + into.remaining());
        }
        int limit = into.limit();
        into.limit(into.position() + length);
        memory.get(DATA + (head & mask) + RECORD_HEADER, into);
        into.limit(limit);
        head += RingLayout.align(RECORD_HEADER + (long) length);
        commit();
        return length;
    }

    /** Waits at most {@code timeout} until a record is committed; true if one is. */
    public boolean await(Duration timeout) throws IOException {
        return recordReady() || waiter.await(recordReady, RingWaiter.deadline(Deadline.check(timeout).toNanos()));
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
        for (int paddings = 0; paddings < 2; paddings++) { // at most one padding can precede a message
            long at = DATA + (head & mask);
            int length = memory.getIntAcquire(at + RECORD_LENGTH);
            if (length == 0) {
                return -1;
            }
            int type = memory.getInt(at + RECORD_TYPE);
            ShmRing.checkRecord(memory, head, capacity, length, type);
            if (type != PADDING) {
                return length - RECORD_HEADER;
            }
            head += length;
        }
        throw new IOException("ring in " + memory.file() + ": two padding records in a row at position " + head
                + " (another process wrote them)");
    }

    /** Commits consumption up to {@code head}, clears the consumed bytes, then hands them back to the producer. */
    private void commit() throws IOException {
        if (head != released) {
            memory.setLongRelease(CONSUMED, head);
            java.lang.invoke.VarHandle.storeStoreFence(); // the commit is visible before any byte is cleared
            release();
        }
    }

    private void release() throws IOException {
        if (head != released) {
            ShmRing.clearRange(memory, capacity, released, head);
            released = head;
            memory.setLongRelease(HEAD, head);
            waiter.wakePeer();
        }
    }
}
