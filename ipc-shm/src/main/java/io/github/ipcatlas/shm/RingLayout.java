package io.github.ipcatlas.shm;

import java.nio.ByteOrder;

/**
 * The layout of a {@link ShmRing} in shared memory, described once — a format, not a Java secret: a C or Python
 * program that follows it exchanges records with ours ({@code ShmRingInteropTest} does, with python3's {@code mmap}
 * and {@code struct}). Native byte order; every field two processes agree on is here, none only in a Java object, so
 * either side can die and a new process can attach and carry on.
 *
 * <pre>
 *  offset  size  field              written by  meaning
 *       0     8  magic              creator     "IPCRING2" — a ring lives here
 *       8     8  capacity           creator     bytes of the data area: a power of two, 64 to 2^29
 *     128     8  tail               producer    bytes ever committed (release, after each commit; a producer that
 *                                               attaches starts its scan for the end of the records here)
 *     256     8  head               consumer    bytes ever consumed (release, once per batch): the consumer's commit;
 *                                               the producer may reuse everything before it
 *     384     4  consumerSleeping   consumer    1 while the consumer may be asleep on dataSignal
 *     388     4  dataSignal         producer    futex word: bumped before waking a sleeping consumer
 *     392     4  consumerMaySleep   consumer    1 if the consumer's strategy sleeps (set when it attaches)
 *     512     4  producerSleeping   producer    1 while the producer may be asleep on spaceSignal
 *     516     4  spaceSignal        consumer    futex word: bumped before waking a sleeping producer
 *     520     4  producerMaySleep   producer    1 if the producer's strategy sleeps (set when it attaches)
 *     640     …  data               both        records, wrapping around
 *
 *  record at a position p (8-byte aligned; it never wraps: a padding record fills the end of the ring first)
 *       0     4  length             bytes of header and payload; 0: nothing committed here yet
 *       4     4  type               1 a message, -1 padding to the end of the ring
 *                                   length and type are written last, together, as one 8-byte release store:
 *                                   the commit — a record is wholly visible or not at all (a writer that
 *                                   stores them apart stores the type first, then the length with release)
 *       8     …  payload, then to the next multiple of 8
 * </pre>
 *
 * <p>Each side's fields sit 128 bytes apart (two cache lines, since neighbouring lines are prefetched together), so
 * the producer's and the consumer's stores never contend. <b>Invariant</b>: the 8 bytes at {@code tail} — the header
 * of the next record — are zero. The producer keeps it so by clearing the next header before each commit (a padding
 * record's, before committing the padding), and never fills the ring so far that the next header would reach
 * {@code head}. So the consumer, which reads only at record boundaries, reads "length 0" until the next commit, and
 * nothing else of the data area ever needs clearing. A producer that attaches after another died walks the committed
 * records from {@code max(tail, head)} to the first zero length, and goes on from there.
 */
public final class RingLayout {
    private RingLayout() {
    }

    /** "IPCRING2" read as a little-endian long. */
    public static final long MAGIC = 0x32474E4952435049L;
    public static final int MAGIC_FIELD = 0;
    public static final int CAPACITY = 8;
    public static final int TAIL = 128;
    public static final int HEAD = 256;
    public static final int CONSUMER_SLEEPING = 384;
    public static final int DATA_SIGNAL = 388;
    public static final int CONSUMER_MAY_SLEEP = 392;
    public static final int PRODUCER_SLEEPING = 512;
    public static final int SPACE_SIGNAL = 516;
    public static final int PRODUCER_MAY_SLEEP = 520;
    public static final int DATA = 640;

    public static final int RECORD_LENGTH = 0;
    public static final int RECORD_TYPE = 4;
    public static final int RECORD_HEADER = 8;
    public static final int MESSAGE = 1;
    public static final int PADDING = -1;
    /** Records, like positions, are multiples of this. */
    public static final int ALIGNMENT = 8;
    /** The smallest capacity. */
    public static final long MIN_CAPACITY = 64;
    /** The largest capacity, 512 MiB: header and data lie in the mapping's first 1 GiB chunk. */
    public static final long MAX_CAPACITY = 1L << 29;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** A record header as the one 8-byte word it is written as (a single release store commits length and type). */
    public static long header(int length, int type) {
        return LITTLE_ENDIAN ? (long) type << 32 | (length & 0xFFFFFFFFL) : (long) length << 32 | (type & 0xFFFFFFFFL);
    }

    /** The length field of a {@link #header}. */
    public static int headerLength(long header) {
        return (int) (LITTLE_ENDIAN ? header : header >>> 32);
    }

    /** The type field of a {@link #header}. */
    public static int headerType(long header) {
        return (int) (LITTLE_ENDIAN ? header >>> 32 : header);
    }

    /** Bytes a record with {@code payload} bytes occupies in the data area. */
    public static long recordBytes(int payload) {
        return align(RECORD_HEADER + (long) payload);
    }

    /** {@code length} rounded up to {@link #ALIGNMENT}. */
    public static long align(long length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Bytes of a segment holding a ring of {@code capacity} data bytes. */
    public static long segmentBytes(long capacity) {
        return DATA + capacity;
    }

    /** The largest payload a ring of {@code capacity} bytes carries in one record: a quarter of it, less the header. */
    public static int maxPayload(long capacity) {
        return (int) Math.min(Integer.MAX_VALUE - ALIGNMENT, capacity / 4 - RECORD_HEADER);
    }
}
