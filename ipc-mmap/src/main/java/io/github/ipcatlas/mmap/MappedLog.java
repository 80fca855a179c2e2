package io.github.ipcatlas.mmap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * An append-only log in a mapped file that survives its writer being killed at any instant: a reader, or a writer
 * that restarts, sees every committed record and never a torn one.
 *
 * <pre>
 * header (64 bytes)                       record (8-byte aligned)
 *   0  long magic "IPCALOG1"                0       int  length + 1    (0: no record here)
 *   8  long capacity (bytes of the file)    4       int  CRC-32 of the payload
 *  16  reserved                             8       byte[length] payload, padded to 8
 *                                           8+pad   int  commit marker  0x434D4954 "CMIT", written last
 *                                           12+pad  int  (padding)
 * </pre>
 *
 * <p><b>Why it is crash-safe.</b> The writer first clears the commit slot of the record it is about to write and the
 * header slot after it, then writes length, checksum and payload, and only then the commit marker, with release
 * ordering. A record counts only if its commit marker is there <i>and</i> its checksum matches: a writer killed
 * before the marker leaves a record that every reader skips (and that the next writer overwrites); the marker can
 * only be seen after every byte it covers. The page cache belongs to the kernel, so what a killed process wrote is
 * not lost; surviving a crash of the machine needs {@link #force()} as well.
 *
 * <p><b>One writer at a time</b> (serialise writers across processes, e.g. with a {@link FileRegionLock}); any
 * number of readers in any process ({@link #cursor()}). Appends allocate nothing.
 */
public final class MappedLog implements AutoCloseable {
    static final long MAGIC = 0x314731_4F4C41_4350L; // "IPCALOG1" read as a little-endian long
    static final int COMMIT = 0x434D4954;
    /** Bytes of the header before the first record. */
    public static final int HEADER_BYTES = 64;
    private static final int CAPACITY_FIELD = 8;
    private static final int RECORD_OVERHEAD = 16;

    private final MappedFile map;
    private final CRC32 crc = new CRC32();
    private long end;    // writer: where the next record goes
    private long count;  // writer: committed records

    private MappedLog(MappedFile map) {
        this.map = map;
    }

    /**
     * Opens the log in {@code file}, creating it ({@code capacity} bytes, preallocated, mode 0600) if missing, and
     * recovers: finds the end of the last committed record, which is where appending resumes.
     *
     * @throws IOException if the file exists but is not a log
     */
    public static MappedLog open(Path file, long capacity) throws IOException {
        if (capacity < HEADER_BYTES + RECORD_OVERHEAD + 8) {
            throw new IllegalArgumentException("log capacity " + capacity + " is too small for even one record");
        }
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        MappedFile map = MappedFile.create(file, fresh ? capacity : Math.max(capacity, Files.size(file)), Growth.PREALLOCATE);
        try {
            if (fresh || map.getLongVolatile(0) == 0) {
                map.putLong(CAPACITY_FIELD, map.length());
                map.setLongRelease(0, MAGIC);
            } else if (map.getLongVolatile(0) != MAGIC) {
                throw new IOException(file + " is not a mapped log (its first 8 bytes are not IPCALOG1)");
            }
            MappedLog log = new MappedLog(map);
            Cursor recovery = log.cursor();
            while (recovery.skip()) {
                log.count++;
            }
            log.end = recovery.position;
            return log;
        } catch (IOException | RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /**
     * Appends {@code payload}'s remaining bytes as one record and commits it.
     *
     * @return the record's index (0 for the first)
     * @throws IllegalStateException if the log is full (the message says how full)
     */
    public long append(ByteBuffer payload) {
        int length = payload.remaining();
        long size = recordSize(length);
        if (end + size + 8 > map.length()) {
            throw new IllegalStateException("log " + map.file() + " is full: " + count + " records use " + end + " of "
                    + map.length() + " bytes; a " + length + "-byte record needs " + size);
        }
        long commitSlot = end + size - 8;
        map.setIntRelease(commitSlot, 0);        // no stale marker from a torn earlier attempt can count
        map.setIntRelease(end + size, 0);        // the slot after this record reads as "no record"
        crc.reset();
        int start = payload.position();
        crc.update(payload); // consumes the bytes: rewind for the copy below
        payload.position(start);
        map.putInt(end + 4, (int) crc.getValue());
        map.put(end + 8, payload);
        map.setIntRelease(end, length + 1);
        map.setIntRelease(commitSlot, COMMIT);   // last, with release: it publishes every byte above
        end += size;
        return count++;
    }

    /** Committed records. */
    public long count() {
        return count;
    }

    /** A reader from the first record; it sees records committed later too. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Writes the log's modified pages to disk ({@code msync}), for durability across a machine crash. */
    public void force() {
        map.force();
    }

    /** Closes the log's mapping: later accesses throw, and the collector unmaps it. */
    @Override
    public void close() {
        map.close();
    }

    private static long recordSize(int length) {
        return RECORD_OVERHEAD + ((length + 7L) & ~7L);
    }

    /** Reads committed records in order. Not thread-safe: one per reading thread. */
    public final class Cursor {
        private final CRC32 check = new CRC32();
        private long position = HEADER_BYTES;

        private Cursor() {
        }

        /**
         * Copies the next committed record into {@code dst} (which needs room for it) and moves past it.
         *
         * @return its length, or -1 if no further record is committed (yet)
         * @throws IllegalArgumentException if {@code dst} is too small (the cursor does not move)
         */
        public int next(ByteBuffer dst) {
            Objects.requireNonNull(dst, "dst");
            int length = committedLength();
            if (length < 0) {
                return -1;
            }
            if (dst.remaining() < length) {
                throw new IllegalArgumentException("record of " + length + " bytes does not fit in " + dst.remaining());
            }
            int start = dst.position();
            int limit = dst.limit();
            dst.limit(start + length);
            map.get(position + 8, dst);
            check.reset();
            dst.position(start).limit(start + length);
            check.update(dst); // back where map.get left it: start + length
            dst.limit(limit);
            if ((int) check.getValue() != map.getInt(position + 4)) {
                dst.position(start);
                return -1; // torn despite a marker: only a stale marker can do that; treat as the end
            }
            position += recordSize(length);
            return length;
        }

        /** Moves past the next committed record whose checksum holds; false at the end. */
        boolean skip() {
            int length = committedLength();
            if (length < 0) {
                return false;
            }
            check.reset();
            ByteBuffer payload = ByteBuffer.allocate(length);
            map.get(position + 8, payload);
            check.update(payload.flip());
            if ((int) check.getValue() != map.getInt(position + 4)) {
                return false;
            }
            position += recordSize(length);
            return true;
        }

        /** The length of the record at the cursor if it is committed, else -1. */
        private int committedLength() {
            if (position + RECORD_OVERHEAD > map.length()) {
                return -1;
            }
            int stored = map.getIntAcquire(position);
            if (stored <= 0 || position + recordSize(stored - 1) > map.length()) {
                return -1;
            }
            int length = stored - 1;
            return map.getIntAcquire(position + recordSize(length) - 8) == COMMIT ? length : -1;
        }
    }
}
