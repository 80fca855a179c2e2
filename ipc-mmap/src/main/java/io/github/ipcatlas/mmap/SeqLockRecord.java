package io.github.ipcatlas.mmap;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A record in a mapped file that one writer updates and any number of readers, in any process, read — never half
 * written. The classic seqlock: the writer makes the sequence odd, writes the payload, makes it even again; a reader
 * copies the payload between two reads of the sequence and retries unless both were the same even number.
 *
 * <pre>
 * offset 0   long  sequence   odd while a write is in progress
 * offset 8   int   length     bytes of payload in use
 * offset 12  int   (padding)
 * offset 16  byte[capacity]   payload
 * </pre>
 *
 * <p>Readers never block the writer and never see a torn value; a reader may spin while a write is in progress.
 * <b>One writer at a time</b>: across processes, serialise writers (with a {@link FileRegionLock}, say). Thread-safe
 * for readers; memory effects: a read that returns sees every byte of one complete write.
 */
public final class SeqLockRecord {
    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 16;
    private static final int SEQUENCE = 0;
    private static final int LENGTH = 8;

    private final MappedFile map;
    private final long offset;
    private final int capacity;

    /**
     * A record at {@code offset} (8-byte aligned) of {@code map}, holding up to {@code capacity} payload bytes.
     *
     * @throws IllegalArgumentException if it does not fit or is misaligned
     */
    public SeqLockRecord(MappedFile map, long offset, int capacity) {
        this.map = Objects.requireNonNull(map, "map");
        if (capacity < 1) {
            throw new IllegalArgumentException("record capacity " + capacity + " must be at least 1");
        }
        if (offset < 0 || offset % 8 != 0 || offset > map.length() - HEADER_BYTES - capacity) {
            throw new IllegalArgumentException("a record of " + capacity + " bytes at offset " + offset
                    + " must be 8-byte aligned and fit in the " + map.length() + "-byte mapping");
        }
        this.offset = offset;
        this.capacity = capacity;
    }

    /** Bytes a record of {@code capacity} payload bytes occupies. */
    public static long footprint(int capacity) {
        return HEADER_BYTES + capacity;
    }

    /** Replaces the payload with {@code src}'s remaining bytes. One writer at a time. */
    public void write(ByteBuffer src) {
        if (src.remaining() > capacity) {
            throw new IllegalArgumentException("payload of " + src.remaining() + " bytes exceeds the record's " + capacity);
        }
        long sequence = map.getLongVolatile(offset + SEQUENCE);
        map.setLongRelease(offset + SEQUENCE, sequence + 1); // odd: readers will retry
        VarHandle.storeStoreFence();                          // the odd sequence is visible before any payload byte
        map.putInt(offset + LENGTH, src.remaining());
        map.put(offset + HEADER_BYTES, src);
        map.setLongRelease(offset + SEQUENCE, sequence + 2); // even: every payload byte is visible before it
    }

    /**
     * Copies a consistent payload into {@code dst} (which needs room for the record's capacity), retrying while a
     * write is in progress.
     *
     * @return the payload length; {@code dst}'s position has advanced by it
     */
    public int read(ByteBuffer dst) {
        if (dst.remaining() < capacity) {
            throw new IllegalArgumentException("read buffer has " + dst.remaining() + " bytes of room; the record holds up to "
                    + capacity);
        }
        int start = dst.position();
        int limit = dst.limit();
        while (true) {
            long before = map.getLongAcquire(offset + SEQUENCE);
            if ((before & 1) == 0) {
                int length = map.getInt(offset + LENGTH);
                if (length >= 0 && length <= capacity) {
                    dst.limit(start + length).position(start);
                    map.get(offset + HEADER_BYTES, dst);
                    VarHandle.loadLoadFence(); // the payload reads complete before the sequence is read again
                    if (map.getLongAcquire(offset + SEQUENCE) == before) {
                        dst.limit(limit);
                        return length;
                    }
                }
            }
            dst.limit(limit).position(start);
            Thread.onSpinWait();
        }
    }

    /** How many writes have completed. */
    public long version() {
        return map.getLongAcquire(offset + SEQUENCE) >>> 1;
    }
}
