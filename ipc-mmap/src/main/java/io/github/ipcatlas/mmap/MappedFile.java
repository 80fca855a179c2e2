package io.github.ipcatlas.mmap;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

import io.github.ipcatlas.mmap.internal.MappedRegion;
import io.github.ipcatlas.mmap.internal.PageProbe;
import io.github.ipcatlas.mmap.internal.Regions;

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
 * {@link java.lang.invoke.VarHandle} access modes on the mapping, which order memory for every process mapping it (the same CPU
 * instructions a C program would use). They need 8-byte aligned offsets.
 *
 * <p><b>Failures.</b> Offsets outside the region throw {@link IndexOutOfBoundsException} naming the offset; writes
 * to a read-only mapping throw {@link java.nio.ReadOnlyBufferException}. Pages that another process truncated away
 * raise {@code SIGBUS}, which HotSpot reports as an {@link InternalError} — in compiled code later than the access
 * that caused it — so check with {@link #verifyNotTruncated()} before touching a file others may shrink.
 *
 * <p><b>Lifetime.</b> {@link #close()} is atomic, idempotent and safe against accesses in other threads: every
 * access that starts after it throws {@link IllegalStateException}, and none can touch unmapped memory — no
 * sequence of calls crashes the JVM. The memory is unmapped when the garbage collector frees the buffers, as for
 * every {@link MappedByteBuffer}, on every JDK: an access in flight holds its buffer, so it never meets an unmapped
 * page, and an access racing the close reads and writes the file. (JDK 22's shared arenas unmap at close, and crashed
 * Temurin 25.0.3 under exactly that race; the README of this module tells the story.) Views (shared values, mutexes,
 * rings, records) hold their {@code MappedFile} and share its fate.
 *
 * <p><b>What no API can guard.</b> A file is shared with every process that can open it: one that truncates it
 * raises {@code SIGBUS} in every process still touching the lost pages (an {@link InternalError} in Java code, a
 * crash in a native call on a structure in the mapping, such as a robust mutex); one that writes into it can
 * corrupt what native code trusts there. Give such files to processes you trust (mode 0600 is the default).
 *
 * <p><b>Thread-safety.</b> Accessors may be called from any number of threads; like any shared memory, concurrent
 * plain writes race.
 */
public final class MappedFile extends MappedAccess implements AutoCloseable {
    /** Size of each underlying buffer: 1 GiB. */
    public static final long CHUNK_BYTES = MappedRegion.CHUNK_BYTES;

    static {
        Regions.install(map -> map.region);
    }

    private final Path file;
    private final MapMode mode;
    private final MappedRegion region;

    private MappedFile(Path file, MapMode mode, long position, long length, MappedRegion region) {
        super(position, length, region.buffers());
        this.file = file;
        this.mode = mode;
        this.region = region;
    }

    /**
     * Opens {@code file}, creating it with mode 0600 if missing, grows it to at least {@code size} bytes by
     * {@code growth}, and maps its first {@code size} bytes read-write, shared. The path must name a regular file
     * itself: a symbolic link there is refused (as are a FIFO, a device or a directory), so a link planted at the
     * path cannot make this overwrite or grow a file elsewhere.
     */
    public static MappedFile create(Path file, long size, Growth growth) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(growth, "growth");
        return new MappedFile(file, MapMode.READ_WRITE, 0, size, FileRegions.createAndMap(file, size, growth));
    }

    /**
     * Maps the whole of an existing regular {@code file}, following symbolic links as {@code open(2)} does. A FIFO,
     * device or directory at the path is refused without blocking.
     */
    public static MappedFile map(Path file, MapMode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        MappedRegion region = FileRegions.map(file, mode, 0, -1); // -1: to the end, measured on the open descriptor
        return new MappedFile(file, mode, 0, region.length(), region);
    }

    /**
     * Maps the whole of the regular file open on {@code fd} — the file the descriptor refers to, whatever
     * {@code file} names by now: a name can be swapped between an open and a second open by path, a descriptor
     * cannot (how {@code ipc-shm} maps the segment {@code shm_open} returned). The descriptor stays the caller's to
     * close; the mapping does not need it. {@code file} names the mapping in messages. The JDK maps only what it opened, so the file is reopened through
     * {@code /proc/self/fd/N}: its permissions are checked again, and a read-only descriptor maps only read-only.
     *
     * @throws IllegalArgumentException if {@code fd} is negative, or not open read-write for a writable mode
     */
    public static MappedFile map(int fd, Path file, MapMode mode) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("descriptor " + fd + " is negative");
        }
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        MappedRegion region = FileRegions.mapDescriptor(fd, file, mode, 0, -1);
        return new MappedFile(file, mode, 0, region.length(), region);
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
        if (length < 0) {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        MappedRegion region = FileRegions.map(file, mode, position, length);
        return new MappedFile(file, mode, position, region.length(), region);
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

    /**
     * Checks that the file still covers the whole mapped region, so that no access can hit {@code SIGBUS}. Call it
     * before a batch of accesses to a file that other processes may truncate. It asks the kernel about the mapping
     * itself — whether its last byte can be read ({@code process_vm_readv(2)} on this process) — not the file that
     * now has the name, which another process may have replaced.
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
        if (length == 0) {
            return;
        }
        long last = length - 1;
        if (!region.acquire()) {
            ensureOpen();
            throw new IllegalStateException(this + ": the mapping is closed");
        }
        boolean readable;
        try {
            readable = PageProbe.readable(region.address((int) (last >>> CHUNK_SHIFT)) + index(last));
        } finally {
            region.release();
        }
        if (!readable) {
            throw new TruncatedMappingException("the mapped region [" + position + ", " + (position + length) + ") of "
                    + file + " reaches past the end of its file: another process truncated it; accessing the missing "
                    + "pages would raise SIGBUS", null);
        }
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
     * Closes the mapping: every later access throws {@link IllegalStateException}; the garbage collector unmaps the
     * memory once nothing reaches it (see the class comment). Idempotent and thread-safe.
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
}
