package io.github.ipcatlas.mmap;

import static io.github.ipcatlas.core.internal.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.internal.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.internal.Native;
import io.github.ipcatlas.mmap.internal.FallocateLibC;
import io.github.ipcatlas.mmap.internal.Mapper;

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
 * }                                       // unmapped now, not at some future GC
 * }</pre>
 *
 * <p><b>Ordering across processes.</b> Plain accessors promise nothing about when another process sees a write.
 * {@link #getLongAcquire}, {@link #setLongRelease}, {@link #compareAndSetLong} and {@link #getAndAddLong} use
 * {@link VarHandle} access modes on the mapping, which order memory for every process mapping it (the same CPU
 * instructions a C program would use). They need 8-byte aligned offsets.
 *
 * <p><b>Failures.</b> Offsets outside the region throw {@link IndexOutOfBoundsException} naming the offset; writes
 * to a read-only mapping throw {@link java.nio.ReadOnlyBufferException}; access after {@link #close()} throws
 * {@link IllegalStateException}; access to pages that another process truncated away throws
 * {@link TruncatedMappingException} with the file's current size.
 *
 * <p><b>Thread-safety.</b> Accessors may be called from any number of threads; like any shared memory, concurrent
 * plain writes race. On JDK 22 and newer {@code close()} is safe against accesses in other threads (the JVM waits
 * for them, and later ones fail with {@link IllegalStateException}); on older JDKs {@code close()} must not race
 * with accesses: the closed check catches every access that starts after it, but one already under way when the
 * memory is unmapped would fault.
 */
public final class MappedFile implements AutoCloseable {
    /** Size of each underlying buffer: 1 GiB. */
    public static final long CHUNK_BYTES = 1L << 30;
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = CHUNK_BYTES - 1;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final MapMode mode;
    private final long position;
    private final long length;
    private final Mapper.Mapping[] mappings;
    private final MappedByteBuffer[] chunks;
    private volatile boolean closed;

    private MappedFile(Path file, MapMode mode, long position, long length, Mapper.Mapping[] mappings) {
        this.file = file;
        this.mode = mode;
        this.position = position;
        this.length = length;
        this.mappings = mappings;
        this.chunks = new MappedByteBuffer[mappings.length];
        for (int i = 0; i < mappings.length; i++) {
            chunks[i] = mappings[i].buffer();
            chunks[i].order(ByteOrder.nativeOrder());
        }
    }

    /**
     * Opens {@code file}, creating it with mode 0600 if missing, grows it to at least {@code size} bytes by
     * {@code growth}, and maps its first {@code size} bytes read-write, shared.
     */
    public static MappedFile create(Path file, long size, Growth growth) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(growth, "growth");
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be at least 1 byte");
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, file + " is a directory, not a file to map");
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        grow(file, size, growth);
        return map(file, MapMode.READ_WRITE, 0, size);
    }

    /** Maps the whole of an existing {@code file}. */
    public static MappedFile map(Path file, MapMode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        return map(file, mode, 0, existingSize(file));
    }

    /**
     * Maps {@code length} bytes of an existing {@code file} from {@code position}. The region must lie within the
     * file: grow it first with {@link #create} (the JDK would otherwise extend a read-write file silently).
     *
     * @throws IllegalArgumentException for a negative position or length, or a region past the end of the file
     * @throws NoSuchFileException if the file does not exist
     */
    public static MappedFile map(Path file, MapMode mode, long position, long length) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        if (position < 0) {
            throw new IllegalArgumentException("position " + position + " is negative");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        long size = existingSize(file);
        if (position + length > size) {
            throw new IllegalArgumentException("region [" + position + ", " + (position + length) + ") extends past the end of "
                    + file + " (" + size + " bytes)" + (mode.writable() ? "; grow the file first with MappedFile.create" : ""));
        }
        Set<StandardOpenOption> options = mode == MapMode.READ_ONLY ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE); // the JDK needs write access for PRIVATE too
        int count = (int) ((length + CHUNK_BYTES - 1) >>> CHUNK_SHIFT);
        Mapper.Mapping[] mappings = new Mapper.Mapping[count];
        // The mapping outlives the channel: close it at once, so no descriptor is held for the mapping's life.
        try (FileChannel channel = FileChannel.open(file, options)) {
            for (int i = 0; i < count; i++) {
                long offset = (long) i << CHUNK_SHIFT;
                long chunkLength = Math.min(CHUNK_BYTES, length - offset);
                mappings[i] = Mapper.map(channel, mode.jdkMode, position + offset, chunkLength);
            }
        } catch (IOException | RuntimeException e) {
            for (Mapper.Mapping mapping : mappings) {
                if (mapping != null) {
                    mapping.unmap();
                }
            }
            throw e;
        }
        return new MappedFile(file, mode, position, length, mappings);
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

    // ---- plain access ------------------------------------------------------------------------------------------

    /** The byte at {@code offset} (from the start of the region). */
    public byte getByte(long offset) {
        check(offset, 1);
        try {
            return chunks[chunk(offset)].get(index(offset));
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the byte at {@code offset}. */
    public void putByte(long offset, byte value) {
        check(offset, 1);
        try {
            chunks[chunk(offset)].put(index(offset), value);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** The {@code int} at {@code offset}, native byte order. */
    public int getInt(long offset) {
        check(offset, Integer.BYTES);
        try {
            if (sameChunk(offset, Integer.BYTES)) {
                return chunks[chunk(offset)].getInt(index(offset));
            }
            return (int) readAcross(offset, Integer.BYTES);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code int} at {@code offset}, native byte order. */
    public void putInt(long offset, int value) {
        check(offset, Integer.BYTES);
        try {
            if (sameChunk(offset, Integer.BYTES)) {
                chunks[chunk(offset)].putInt(index(offset), value);
            } else {
                writeAcross(offset, value, Integer.BYTES);
            }
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** The {@code long} at {@code offset}, native byte order; it may straddle two chunks. */
    public long getLong(long offset) {
        check(offset, Long.BYTES);
        try {
            if (sameChunk(offset, Long.BYTES)) {
                return chunks[chunk(offset)].getLong(index(offset));
            }
            return readAcross(offset, Long.BYTES);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code long} at {@code offset}, native byte order; it may straddle two chunks. */
    public void putLong(long offset, long value) {
        check(offset, Long.BYTES);
        try {
            if (sameChunk(offset, Long.BYTES)) {
                chunks[chunk(offset)].putLong(index(offset), value);
            } else {
                writeAcross(offset, value, Long.BYTES);
            }
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Copies {@code dst.remaining()} bytes from {@code offset} into {@code dst}, across chunks as needed. */
    public void get(long offset, ByteBuffer dst) {
        check(offset, dst.remaining());
        try {
            long at = offset;
            while (dst.hasRemaining()) {
                int index = index(at);
                MappedByteBuffer chunk = chunks[chunk(at)];
                int n = Math.min(dst.remaining(), chunk.capacity() - index);
                dst.put(dst.position(), chunk, index, n).position(dst.position() + n);
                at += n;
            }
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Copies {@code src}'s remaining bytes to {@code offset}, across chunks as needed. */
    public void put(long offset, ByteBuffer src) {
        check(offset, src.remaining());
        try {
            long at = offset;
            while (src.hasRemaining()) {
                int index = index(at);
                MappedByteBuffer chunk = chunks[chunk(at)];
                int n = Math.min(src.remaining(), chunk.capacity() - index);
                chunk.put(index, src, src.position(), n);
                src.position(src.position() + n);
                at += n;
            }
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    // ---- ordered and atomic access -----------------------------------------------------------------------------

    /** The {@code long} at {@code offset} with acquire ordering: later reads cannot move before it. */
    public long getLongAcquire(long offset) {
        try {
            return (long) LONGS.getAcquire(aligned(offset, Long.BYTES), index(offset));
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code long} at {@code offset} with release ordering: earlier writes cannot move after it. */
    public void setLongRelease(long offset, long value) {
        try {
            LONGS.setRelease(aligned(offset, Long.BYTES), index(offset), value);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** The {@code long} at {@code offset}, volatile. */
    public long getLongVolatile(long offset) {
        try {
            return (long) LONGS.getVolatile(aligned(offset, Long.BYTES), index(offset));
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code long} at {@code offset}, volatile. */
    public void setLongVolatile(long offset, long value) {
        try {
            LONGS.setVolatile(aligned(offset, Long.BYTES), index(offset), value);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Atomically sets the {@code long} at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetLong(long offset, long expected, long update) {
        try {
            return LONGS.compareAndSet(aligned(offset, Long.BYTES), index(offset), expected, update);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Atomically adds {@code delta} to the {@code long} at {@code offset}; returns the previous value. */
    public long getAndAddLong(long offset, long delta) {
        try {
            return (long) LONGS.getAndAdd(aligned(offset, Long.BYTES), index(offset), delta);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** The {@code int} at {@code offset}, volatile (4-byte aligned). */
    public int getIntVolatile(long offset) {
        try {
            return (int) INTS.getVolatile(aligned(offset, Integer.BYTES), index(offset));
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code int} at {@code offset}, volatile (4-byte aligned). */
    public void setIntVolatile(long offset, int value) {
        try {
            INTS.setVolatile(aligned(offset, Integer.BYTES), index(offset), value);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Atomically sets the {@code int} at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetInt(long offset, int expected, int update) {
        try {
            return INTS.compareAndSet(aligned(offset, Integer.BYTES), index(offset), expected, update);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Atomically adds {@code delta} to the {@code int} at {@code offset}; returns the previous value. */
    public int getAndAddInt(long offset, int delta) {
        try {
            return (int) INTS.getAndAdd(aligned(offset, Integer.BYTES), index(offset), delta);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** The {@code int} at {@code offset} with acquire ordering (4-byte aligned). */
    public int getIntAcquire(long offset) {
        try {
            return (int) INTS.getAcquire(aligned(offset, Integer.BYTES), index(offset));
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    /** Writes the {@code int} at {@code offset} with release ordering (4-byte aligned). */
    public void setIntRelease(long offset, int value) {
        try {
            INTS.setRelease(aligned(offset, Integer.BYTES), index(offset), value);
        } catch (InternalError fault) {
            throw truncated(fault, offset);
        }
    }

    // ---- native structures -------------------------------------------------------------------------------------

    /**
     * The native address of the byte at {@code offset}, for structures that native code must find in the mapping
     * (a process-shared {@code pthread_mutex_t}, a {@code sem_t}). Valid only while the region is mapped; the
     * structure must not straddle two 1 GiB chunks.
     *
     * @throws IllegalArgumentException if {@code size} bytes from {@code offset} straddle two chunks
     */
    public long address(long offset, int size) {
        check(offset, size);
        if (!sameChunk(offset, size)) {
            throw new IllegalArgumentException(size + " bytes at offset " + offset + " straddle two 1 GiB chunks");
        }
        return com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(chunks[chunk(offset)]) + index(offset);
    }

    // ---- truncation ----------------------------------------------------------------------------------------------

    /**
     * Checks that the file still covers the whole mapped region ({@code fstat}), so that no access can hit
     * {@code SIGBUS}. Call it before a batch of accesses to a file that other processes may truncate.
     *
     * <p>Why an explicit check: the kernel answers an access to a page beyond the end of the file with
     * {@code SIGBUS}, and HotSpot reports it as an {@link InternalError} — in compiled code <i>asynchronously</i>
     * ("a fault occurred in a recent unsafe memory access operation in compiled Java code"), at some later point
     * of the thread, where no accessor can catch it. The accessors convert the fault when it arrives synchronously
     * (interpreted code); this check is the reliable way.
     *
     * @throws TruncatedMappingException if the file is now shorter than the region
     */
    public void verifyNotTruncated() throws IOException {
        ensureOpen();
        long size = Files.size(file);
        if (size < position + length) {
            throw new TruncatedMappingException("the file " + file + " is now " + size + " bytes, shorter than the "
                    + "mapped region [" + position + ", " + (position + length) + "): another process truncated it; "
                    + "accessing the missing pages would raise SIGBUS", null);
        }
    }

    // ---- durability and lifetime -------------------------------------------------------------------------------

    /**
     * Writes every modified page of the region to the file and waits ({@code msync(MS_SYNC)}). Other processes see
     * writes without it (they share the page cache); {@code force} is about surviving a crash of the machine. A
     * no-op for read-only and private mappings.
     */
    public void force() {
        ensureOpen();
        if (mode == MapMode.READ_WRITE) {
            for (MappedByteBuffer chunk : chunks) {
                chunk.force();
            }
        }
    }

    /** {@link #force()} for {@code length} bytes from {@code offset} only. */
    public void force(long offset, long length) {
        check(offset, length);
        if (mode != MapMode.READ_WRITE) {
            return;
        }
        long at = offset;
        long left = length;
        while (left > 0) {
            int index = index(at);
            MappedByteBuffer chunk = chunks[chunk(at)];
            int n = (int) Math.min(left, chunk.capacity() - index);
            chunk.force(index, n);
            at += n;
            left -= n;
        }
    }

    /**
     * Unmaps the region now ({@code munmap(2)}), instead of whenever the garbage collector frees the buffers. Later
     * accesses throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Mapper.Mapping mapping : mappings) {
            mapping.unmap();
        }
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String toString() {
        return "MappedFile[" + file + ", " + mode + ", " + length + " bytes at " + position + (closed ? ", closed" : "") + "]";
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private static long existingSize(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw Errors.of("open", file.toString(), Errors.ENOENT);
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, file + " is a directory, not a file to map");
        }
        return Files.size(file);
    }

    private static void grow(Path file, long size, Growth growth) throws IOException {
        if (Files.size(file) >= size) {
            return;
        }
        if (growth == Growth.SPARSE) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (channel.size() < size) {
                    channel.write(ByteBuffer.allocate(1), size - 1); // sets the length; the rest stays a hole
                }
            }
            return;
        }
        int fd = Native.libc().open(file.toString(), O_RDWR | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.of("open", file.toString(), Native.errno());
        }
        try {
            int error = NativeLibrary.load(FallocateLibC.class, "c").posix_fallocate(fd, 0, size);
            if (error != 0) {
                throw Errors.of("posix_fallocate(" + size + " bytes)", file.toString(), error,
                        error == Errors.ENOSPC ? "the file system has " + Files.getFileStore(file).getUsableSpace()
                                + " bytes free" : null);
            }
        } finally {
            Native.libc().close(fd);
        }
    }

    private void check(long offset, long size) {
        ensureOpen();
        if (offset < 0 || size < 0 || offset > length - size) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + size + " bytes) is outside the "
                    + length + "-byte mapping of " + file);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + ": the region is unmapped");
        }
    }

    private ByteBuffer aligned(long offset, int size) {
        check(offset, size);
        if (((position + offset) & (size - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not " + size
                    + "-byte aligned in the file, as atomic access needs");
        }
        return chunks[chunk(offset)];
    }

    private static int chunk(long offset) {
        return (int) (offset >>> CHUNK_SHIFT);
    }

    private static int index(long offset) {
        return (int) (offset & CHUNK_MASK);
    }

    private boolean sameChunk(long offset, int size) {
        return index(offset) + size <= chunks[chunk(offset)].capacity();
    }

    private long readAcross(long offset, int size) {
        long value = 0;
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < size; i++) {
            long b = chunks[chunk(offset + i)].get(index(offset + i)) & 0xFFL;
            value |= little ? b << (8 * i) : b << (8 * (size - 1 - i));
        }
        return value;
    }

    private void writeAcross(long offset, long value, int size) {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < size; i++) {
            int shift = little ? 8 * i : 8 * (size - 1 - i);
            chunks[chunk(offset + i)].put(index(offset + i), (byte) (value >>> shift));
        }
    }

    private TruncatedMappingException truncated(InternalError fault, long offset) {
        String size;
        try {
            size = Files.size(file) + " bytes";
        } catch (IOException e) {
            size = "gone (" + e.getMessage() + ")";
        }
        return new TruncatedMappingException("access at offset " + offset + " of " + file + " faulted (SIGBUS): the file is now "
                + size + ", shorter than the mapped region [" + position + ", " + (position + length)
                + "); another process truncated it", fault);
    }
}
