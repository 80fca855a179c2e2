package io.github.ipcatlas.mmap;

import static io.github.ipcatlas.mmap.SeqLockLayout.SLOT_LENGTH;
import static io.github.ipcatlas.mmap.SeqLockLayout.SLOT_PAYLOAD;
import static io.github.ipcatlas.mmap.SeqLockLayout.SLOT_SEQUENCE;
import static io.github.ipcatlas.mmap.SeqLockLayout.VERSION;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * A record in a mapped file that one writer updates and any number of readers, in any process, read — never half
 * written, and never lost to a writer's crash. A seqlock over two slots ({@link SeqLockLayout}): the writer fills the
 * slot readers are not directed to — making its sequence odd, writing, making it even — and then commits by bumping
 * the version, which directs readers to it. A reader copies the committed slot between two reads of its sequence and
 * retries if they differ (the writer came round to that slot again meanwhile).
 *
 * <p><b>What a crash leaves behind.</b> A writer killed at any instruction leaves the last committed value intact and
 * readable: readers never wait for a dead writer. The next writer (in any process) simply writes; a slot a dead
 * writer left odd is rewritten like any other. A write that returned is committed.
 *
 * <p><b>Deadlines.</b> A read retries only while a live writer keeps rewriting the slot under it, or while the record
 * holds garbage (another process may write anything into a shared file); {@link #read(ByteBuffer, Duration)} gives up
 * at its deadline, {@link #tryRead} after one attempt.
 *
 * <p><b>One writer at a time</b>: across processes, serialise writers (with a {@link FileRegionLock}, say).
 * Thread-safe for readers; memory effects: a read that returns sees every byte of one committed write.
 */
public final class SeqLockRecord {
    private final MappedFile map;
    private final long offset;
    private final int capacity;

    /**
     * A record at {@code offset} (8-byte aligned) of {@code map}, holding up to {@code capacity} payload bytes; it
     * occupies {@link #footprint(int)} bytes. A mapping of zeros is an empty record, version 0.
     *
     * @throws IllegalArgumentException if it does not fit or is misaligned
     */
    public SeqLockRecord(MappedFile map, long offset, int capacity) {
        this.map = Objects.requireNonNull(map, "map");
        if (capacity < 1) {
            throw new IllegalArgumentException("record capacity " + capacity + " must be at least 1");
        }
        if (offset < 0 || offset % 8 != 0 || offset > map.length() - footprint(capacity)) {
            throw new IllegalArgumentException("a record of " + capacity + " bytes (" + footprint(capacity)
                    + " bytes with its header and two slots) at offset " + offset + " must be 8-byte aligned and fit in the "
                    + map.length() + "-byte mapping");
        }
        this.offset = offset;
        this.capacity = capacity;
    }

    /** Bytes a record of {@code capacity} payload bytes occupies. */
    public static long footprint(int capacity) {
        return SeqLockLayout.footprint(capacity);
    }

    /** The largest payload. */
    public int capacity() {
        return capacity;
    }

    /** Replaces the payload with {@code src}'s remaining bytes and commits it. One writer at a time. */
    public void write(ByteBuffer src) {
        if (src.remaining() > capacity) {
            throw new IllegalArgumentException("payload of " + src.remaining() + " bytes exceeds the record's " + capacity);
        }
        long version = map.getLongAcquire(offset + VERSION);
        long slot = offset + SeqLockLayout.slot(capacity, (version + 1) & 1);
        long odd = map.getLongVolatile(slot + SLOT_SEQUENCE) | 1; // already odd if a writer died filling this slot
        map.setLongRelease(slot + SLOT_SEQUENCE, odd);
        VarHandle.storeStoreFence();                         // the odd sequence is visible before any payload byte
        map.putInt(slot + SLOT_LENGTH, src.remaining());
        map.put(slot + SLOT_PAYLOAD, src);
        map.setLongRelease(slot + SLOT_SEQUENCE, odd + 1);   // even: every payload byte is visible before it
        map.setLongRelease(offset + VERSION, version + 1);   // the commit: readers now read this slot
    }

    /**
     * Copies the committed payload into {@code dst} (which needs room for the record's capacity), retrying while a
     * writer rewrites the slot under the copy.
     *
     * @return the payload length; {@code dst}'s position has advanced by it
     * @throws IpcTimeoutException if no consistent copy could be made before the deadline: a writer that rewrites
     *                             faster than this thread copies, or a record another process filled with garbage
     */
    public int read(ByteBuffer dst, Duration timeout) throws IpcTimeoutException {
        Deadline deadline = Deadline.after(timeout);
        for (int length; ; Thread.onSpinWait()) {
            if ((length = tryRead(dst)) >= 0) {
                return length;
            }
            if (deadline.expired()) {
                throw new IpcTimeoutException("reading the record at offset " + offset + " of " + map.file()
                        + " (no consistent copy: rewritten under every attempt, or not a record)", timeout);
            }
        }
    }

    /**
     * One attempt at {@link #read(ByteBuffer, Duration)}.
     *
     * @return the payload length, or -1 if the slot changed under the copy or holds no valid record ({@code dst}
     *         is then unchanged)
     */
    public int tryRead(ByteBuffer dst) {
        if (dst.remaining() < capacity) {
            throw new IllegalArgumentException("read buffer has " + dst.remaining() + " bytes of room; the record holds up to "
                    + capacity);
        }
        long slot = offset + SeqLockLayout.slot(capacity, map.getLongAcquire(offset + VERSION) & 1);
        long before = map.getLongAcquire(slot + SLOT_SEQUENCE);
        int length = map.getInt(slot + SLOT_LENGTH);
        if ((before & 1) != 0 || length < 0 || length > capacity) {
            return -1;
        }
        int start = dst.position();
        int limit = dst.limit();
        dst.limit(start + length);
        map.get(slot + SLOT_PAYLOAD, dst);
        dst.limit(limit);
        VarHandle.loadLoadFence(); // the payload reads complete before the sequence is read again
        if (map.getLongAcquire(slot + SLOT_SEQUENCE) != before) {
            dst.position(start);
            return -1;
        }
        return length;
    }

    /** How many writes have been committed. */
    public long version() {
        return map.getLongAcquire(offset + VERSION);
    }
}
