package io.github.ipcatlas.shm;

/**
 * The layout of a {@link ShmRing} in a shared-memory segment, described once. Every field the two sides write sits on
 * its own 64-byte cache line, so the producer's and the consumer's stores never fight over a line.
 *
 * <pre>
 *  offset  size  field
 *       0     8  head          bytes ever published by the producer (release store)
 *      64     8  tail          bytes ever consumed by the consumer (release store)
 *     128     8  consumerParked   1 while the consumer sleeps (blocking strategy)
 *     192     8  producerParked   1 while the producer sleeps (blocking strategy)
 *     256    32  dataReady     sem_t: the producer posts it to wake a parked consumer
 *     320    32  spaceFree     sem_t: the consumer posts it to wake a parked producer
 *     384     8  capacity      bytes of the data area (a power of two), written once at creation
 *     448     …  data          records, wrapping around:
 *
 *  record (8-byte aligned)
 *       0     4  length        payload bytes, or -1: padding to the end of the ring (the next record starts at 0)
 *       4     4  sequence      0, 1, 2, … — a record with the wrong number is stale or torn
 *       8     …  payload, padded to 8 bytes
 * </pre>
 */
public final class RingLayout {
    private RingLayout() {
    }

    public static final int HEAD = 0;
    public static final int TAIL = 64;
    public static final int CONSUMER_PARKED = 128;
    public static final int PRODUCER_PARKED = 192;
    public static final int DATA_READY = 256;
    public static final int SPACE_FREE = 320;
    public static final int CAPACITY = 384;
    public static final int DATA = 448;
    public static final int SEMAPHORE_BYTES = 32;

    public static final int RECORD_HEADER = 8;
    public static final int RECORD_LENGTH = 0;
    public static final int RECORD_SEQUENCE = 4;
    public static final int PADDING = -1;

    /** Bytes a record of {@code length} payload bytes occupies. */
    public static long recordBytes(int length) {
        return RECORD_HEADER + ((length + 7L) & ~7L);
    }

    /** Bytes of a segment holding a ring of {@code capacity} data bytes. */
    public static long segmentBytes(long capacity) {
        return DATA + capacity;
    }
}
