package io.github.ipcatlas.mmap;

/**
 * The layout of a {@link SeqLockRecord} in a mapping, described once: a header and two slots, so that the value the
 * readers read is never the one being written.
 *
 * <pre>
 *  header (16 bytes, at the record's offset)
 *       0     8  version    completed writes; slot (version &amp; 1) holds the latest committed value (release store)
 *       8     8  reserved   0
 *  slot 0 at 16, slot 1 at 16 + slotBytes, slotBytes = 16 + capacity rounded up to 8
 *       0     8  sequence   odd while the writer fills the slot, even once it is complete (release stores)
 *       8     4  length     payload bytes in use, 0..capacity
 *      12     4  (padding)
 *      16     …  payload
 * </pre>
 *
 * <p>A write fills the slot readers are <i>not</i> directed to, then bumps {@code version}: that single store is the
 * commit. A writer killed anywhere before it leaves the committed value untouched; one killed after it has
 * committed. All fields are native byte order, 8-byte aligned.
 */
public final class SeqLockLayout {
    private SeqLockLayout() {
    }

    public static final int VERSION = 0;
    public static final int HEADER_BYTES = 16;

    public static final int SLOT_SEQUENCE = 0;
    public static final int SLOT_LENGTH = 8;
    public static final int SLOT_PAYLOAD = 16;

    /** Bytes of one slot holding up to {@code capacity} payload bytes. */
    public static long slotBytes(int capacity) {
        return SLOT_PAYLOAD + ((capacity + 7L) & ~7L);
    }

    /** Offset of slot {@code index} (0 or 1) from the record's start. */
    public static long slot(int capacity, long index) {
        return HEADER_BYTES + index * slotBytes(capacity);
    }

    /** Bytes a record of {@code capacity} payload bytes occupies. */
    public static long footprint(int capacity) {
        return HEADER_BYTES + 2 * slotBytes(capacity);
    }
}
