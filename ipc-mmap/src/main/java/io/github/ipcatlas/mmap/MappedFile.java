package io.github.ipcatlas.mmap;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

import io.github.ipcatlas.mmap.internal.MappedRegion;
import io.github.ipcatlas.mmap.internal.NativeAccess;

/**
 * A region of a file mapped into memory ({@code mmap(2)}), of any size, addressed by {@code long} offsets.
 *
 * <p>A {@link MappedByteBuffer} holds at most 2 GiB (its index is an {@code int}). This class maps a region as a row
 * of buffers ("chunks", 1 GiB each) and presents one addressing API over them: {@code getLong(3_000_000_000L)}
 * works, and a value that straddles two chunks is assembled byte by byte.
 *
 * <pre>{@code
 * try (MappedFile map = MappedFile.create(path, 4096, Growth.PREALLOCATE)) {   // grows the file, maps it shared
 *     map.putLong(0, 42);                 // visible at once to every process mapping the file
 *     map.force();                        // msync: on disk when this returns
 * }
 * }</pre>
 *
 * <p><b>Ordering across processes.</b> Plain accessors promise nothing about when another process sees a write.
 * {@link #getLongAcquire}, {@link #setLongRelease}, {@link #compareAndSetLong} and {@link #getAndAddLong} use
 * {@link VarHandle} access modes on the mapping, which order memory for every process mapping it (the same CPU
 * instructions a C program would use). They need 8-byte aligned offsets.
 *
 * <p><b>Failures.</b> Offsets outside the region throw {@link IndexOutOfBoundsException} naming the offset; writes
 * to a read-only mapping throw {@link java.nio.ReadOnlyBufferException}. Pages that another process truncated away
 * raise {@code SIGBUS}, which HotSpot reports as an {@link InternalError} — in compiled code later than the access
 * that caused it — so check with {@link #verifyNotTruncated()} before touching a file others may shrink.
 *
 * <p><b>Lifetime.</b> {@link #close()} is atomic, idempotent and safe against accesses in other threads: every
 * access that starts after it throws {@link IllegalStateException}, and none can touch unmapped memory — no
 * sequence of calls crashes the JVM. When the memory goes: on JDK 22 and newer at {@code close()} (the JVM waits for
 * accesses in flight; an access racing the close either completes or throws {@code IllegalStateException}); on JDK
 * 17–21 when the garbage collector frees the buffers, as for every {@link MappedByteBuffer} — the JDK offers no safe
 * way to unmap earlier while another thread might be reading. Views (shared values, mutexes, rings, records) hold
 * their {@code MappedFile} and share its fate.
 *
 * <p><b>Thread-safety.</b> Accessors may be called from any number of threads; like any shared memory, concurrent
 * plain writes race.
 */
public final class MappedFile implements AutoCloseable {
    /** Size of each underlying buffer: 1 GiB. */
    public static final long CHUNK_BYTES = MappedRegion.CHUNK_BYTES;
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = CHUNK_BYTES - 1;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    static {
        NativeAccess.install(map -> map.region);
    }

    private final Path file;
    private final MapMode mode;
    private final long position;
    private final long length;
    private final MappedRegion region;
    private final MappedByteBuffer[] chunks;
    /** The region's closed state, read by every access: one field of this object rather than two loads away. */
    private volatile boolean closed;

    private MappedFile(Path file, MapMode mode, long position, long length) throws IOException {
        this.file = file;
        this.mode = mode;
        this.position = position;
        this.length = length;
        this.region = FileRegions.map(this, file, mode, position, length);
        this.chunks = region.buffers();
    }

    /**
     * Opens {@code file}, creating it with mode 0600 if missing, grows it to at least {@code size} bytes by
     * {@code growth}, and maps its first {@code size} bytes read-write, shared.
     */
    public static MappedFile create(Path file, long size, Growth growth) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(growth, "growth");
        FileRegions.createAndGrow(file, size, growth);
        return map(file, MapMode.READ_WRITE, 0, size);
    }

    /** Maps the whole of an existing {@code file}. */
    public static MappedFile map(Path file, MapMode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        return map(file, mode, 0, FileRegions.existingSize(file));
    }

    /**
     * Maps {@code length} bytes of an existing {@code file} from {@code position}. The region must lie within the
     * file: grow it first with {@link #create} (the JDK would otherwise extend a read-write file silently).
     *
     * @throws IllegalArgumentException for a negative position or length, or a region past the end of the file
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     */
    public static MappedFile map(Path file, MapMode mode, long position, long length) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        return new MappedFile(file, mode, position, length);
    }

    /** The mapped file. */
    public Path file() {
        return file;
    }

    /** How it is mapped. */
    public MapMode mode() {
        return mode;
    }

    /** Where in the file the region starts. */
    public long position() {
        return position;
    }

    /** Bytes mapped. */
    public long length() {
        return length;
    }

    // ---- plain access: the buffers' own methods keep them reachable during the access ----------------------------

    /** The byte at {@code offset} (from the start of the region). */
    public byte getByte(long offset) {
        return chunk(offset, 1).get(index(offset));
    }

    /** Writes the byte at {@code offset}. */
    public void putByte(long offset, byte value) {
        chunk(offset, 1).put(index(offset), value);
    }

    /** The {@code int} at {@code offset}, native byte order. */
    public int getInt(long offset) {
        ByteBuffer chunk = chunk(offset, Integer.BYTES);
        return chunk != null ? chunk.getInt(index(offset)) : (int) readAcross(offset, Integer.BYTES);
    }

    /** Writes the {@code int} at {@code offset}, native byte order. */
    public void putInt(long offset, int value) {
        ByteBuffer chunk = chunk(offset, Integer.BYTES);
        if (chunk != null) {
            chunk.putInt(index(offset), value);
        } else {
            writeAcross(offset, value, Integer.BYTES);
        }
    }

    /** The {@code long} at {@code offset}, native byte order; it may straddle two chunks. */
    public long getLong(long offset) {
        ByteBuffer chunk = chunk(offset, Long.BYTES);
        return chunk != null ? chunk.getLong(index(offset)) : readAcross(offset, Long.BYTES);
    }

    /** Writes the {@code long} at {@code offset}, native byte order; it may straddle two chunks. */
    public void putLong(long offset, long value) {
        ByteBuffer chunk = chunk(offset, Long.BYTES);
        if (chunk != null) {
            chunk.putLong(index(offset), value);
        } else {
            writeAcross(offset, value, Long.BYTES);
        }
    }

    /** Copies {@code dst.remaining()} bytes from {@code offset} into {@code dst}, across chunks as needed. */
    public void get(long offset, ByteBuffer dst) {
        check(offset, dst.remaining());
        for (long at = offset; dst.hasRemaining(); ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = Math.min(dst.remaining(), chunk.capacity() - index(at));
            dst.put(dst.position(), chunk, index(at), n).position(dst.position() + n);
            at += n;
        }
    }

    /** Copies {@code src}'s remaining bytes to {@code offset}, across chunks as needed. */
    public void put(long offset, ByteBuffer src) {
        check(offset, src.remaining());
        for (long at = offset; src.hasRemaining(); ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = Math.min(src.remaining(), chunk.capacity() - index(at));
            chunk.put(index(at), src, src.position(), n);
            src.position(src.position() + n);
            at += n;
        }
    }

    // ---- ordered and atomic access: a VarHandle does not keep its buffer reachable, so each access fences it ------

    /** The {@code long} at {@code offset} with acquire ordering: later reads cannot move before it. */
    public long getLongAcquire(long offset) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        long value = (long) LONGS.getAcquire(chunk, index(offset));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** Writes the {@code long} at {@code offset} with release ordering: earlier writes cannot move after it. */
    public void setLongRelease(long offset, long value) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        LONGS.setRelease(chunk, index(offset), value);
        Reference.reachabilityFence(chunk);
    }

    /** The {@code long} at {@code offset}, volatile. */
    public long getLongVolatile(long offset) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        long value = (long) LONGS.getVolatile(chunk, index(offset));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** Writes the {@code long} at {@code offset}, volatile. */
    public void setLongVolatile(long offset, long value) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        LONGS.setVolatile(chunk, index(offset), value);
        Reference.reachabilityFence(chunk);
    }

    /** Atomically sets the {@code long} at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetLong(long offset, long expected, long update) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        boolean set = LONGS.compareAndSet(chunk, index(offset), expected, update);
        Reference.reachabilityFence(chunk);
        return set;
    }

    /** Atomically adds {@code delta} to the {@code long} at {@code offset}; returns the previous value. */
    public long getAndAddLong(long offset, long delta) {
        ByteBuffer chunk = aligned(offset, Long.BYTES);
        long previous = (long) LONGS.getAndAdd(chunk, index(offset), delta);
        Reference.reachabilityFence(chunk);
        return previous;
    }

    /** The {@code int} at {@code offset}, volatile (4-byte aligned). */
    public int getIntVolatile(long offset) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        int value = (int) INTS.getVolatile(chunk, index(offset));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** Writes the {@code int} at {@code offset}, volatile (4-byte aligned). */
    public void setIntVolatile(long offset, int value) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        INTS.setVolatile(chunk, index(offset), value);
        Reference.reachabilityFence(chunk);
    }

    /** Atomically sets the {@code int} at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetInt(long offset, int expected, int update) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        boolean set = INTS.compareAndSet(chunk, index(offset), expected, update);
        Reference.reachabilityFence(chunk);
        return set;
    }

    /** Atomically adds {@code delta} to the {@code int} at {@code offset}; returns the previous value. */
    public int getAndAddInt(long offset, int delta) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        int previous = (int) INTS.getAndAdd(chunk, index(offset), delta);
        Reference.reachabilityFence(chunk);
        return previous;
    }

    /** The {@code int} at {@code offset} with acquire ordering (4-byte aligned). */
    public int getIntAcquire(long offset) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        int value = (int) INTS.getAcquire(chunk, index(offset));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** Writes the {@code int} at {@code offset} with release ordering (4-byte aligned). */
    public void setIntRelease(long offset, int value) {
        ByteBuffer chunk = aligned(offset, Integer.BYTES);
        INTS.setRelease(chunk, index(offset), value);
        Reference.reachabilityFence(chunk);
    }

    // ---- truncation ----------------------------------------------------------------------------------------------

    /**
     * Checks that the file still covers the whole mapped region ({@code fstat}), so that no access can hit
     * {@code SIGBUS}. Call it before a batch of accesses to a file that other processes may truncate.
     *
     * <p>Why an explicit check: the kernel answers an access to a page beyond the end of the file with
     * {@code SIGBUS}, and HotSpot reports it as an {@link InternalError} — in compiled code <i>asynchronously</i>
     * ("a fault occurred in a recent unsafe memory access operation in compiled Java code"), at some later point
     * of the thread, where no accessor can catch it. This check is the reliable way.
     *
     * @throws TruncatedMappingException if the file is now shorter than the region
     */
    public void verifyNotTruncated() throws IOException {
        ensureOpen();
        FileRegions.verifyCovers(file, position, length);
    }

    // ---- durability and lifetime -------------------------------------------------------------------------------

    /**
     * Writes every modified page of the region to the file and waits ({@code msync(MS_SYNC)}). Other processes see
     * writes without it (they share the page cache); {@code force} is about surviving a crash of the machine. A
     * no-op for read-only and private mappings.
     */
    public void force() {
        force(0, length);
    }

    /** {@link #force()} for {@code length} bytes from {@code offset} only. */
    public void force(long offset, long length) {
        check(offset, length);
        if (mode != MapMode.READ_WRITE) {
            return;
        }
        for (long at = offset, left = length; left > 0; ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = (int) Math.min(left, chunk.capacity() - index(at));
            chunk.force(index(at), n);
            at += n;
            left -= n;
        }
    }

    /**
     * Closes the mapping: every later access throws {@link IllegalStateException}. The memory is unmapped now on JDK
     * 22+ (once accesses in flight are over), when the garbage collector frees it on JDK 17–21; see the class
     * comment. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        closed = true;
        region.close();
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String toString() {
        return "MappedFile[" + file + ", " + mode + ", " + length + " bytes at " + position + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- the one access guard ------------------------------------------------------------------------------------

    /** Checks that the region is open and holds {@code size} bytes at {@code offset}. */
    private void check(long offset, long size) {
        ensureOpen();
        if (offset < 0 || size < 0 || offset > length - size) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + size + " bytes) is outside the "
                    + length + "-byte mapping of " + file);
        }
    }

    /** {@link #check}, then the chunk that holds all {@code size} bytes, or null if they straddle two chunks. */
    private MappedByteBuffer chunk(long offset, int size) {
        check(offset, size);
        MappedByteBuffer chunk = chunks[(int) (offset >>> CHUNK_SHIFT)];
        return index(offset) + size <= chunk.capacity() ? chunk : null;
    }

    /** {@link #check}, then the chunk, for atomic access: {@code size}-byte aligned in the file, never straddling. */
    private MappedByteBuffer aligned(long offset, int size) {
        check(offset, size);
        if (((position + offset) & (size - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not " + size
                    + "-byte aligned in the file, as atomic access needs");
        }
        return chunks[(int) (offset >>> CHUNK_SHIFT)];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + ": the region is unmapped");
        }
    }

    private static int index(long offset) {
        return (int) (offset & CHUNK_MASK);
    }

    /** A value that straddles two chunks, byte by byte. */
    private long readAcross(long offset, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (getByte(offset + i) & 0xFFL) << shift(i, size);
        }
        return value;
    }

    private void writeAcross(long offset, long value, int size) {
        for (int i = 0; i < size; i++) {
            putByte(offset + i, (byte) (value >>> shift(i, size)));
        }
    }

    /** Where byte {@code i} of a {@code size}-byte value sits in it, in native order. */
    private static int shift(int i, int size) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (size - 1 - i);
    }
}
