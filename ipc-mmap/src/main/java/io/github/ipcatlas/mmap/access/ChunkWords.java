package io.github.ipcatlas.mmap.access;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Loads and stores of 4- and 8-byte words of the first {@code limit} bytes of a mapped chunk, by address, with the
 * memory orderings a ring needs, on JDK 17–21 only ({@link #ENABLED}). There a {@code VarHandle} view of a buffer
 * re-reads the buffer's limit, read-only flag and memory session and checks alignment on every access; a ring record
 * takes five or six accesses on each side, and those checks cost as much as the rest of the record. Here an access is
 * one check ({@link #checkWord}) and one instruction. (On newer JDKs Unsafe's memory methods are deprecated for
 * removal and warn, as {@link SmallCopy} says.)
 *
 * <p>Safe because every offset is checked against the limit and for alignment (the chunk itself starts 8-byte
 * aligned, checked once), and because a mapping is unmapped only once its buffer is unreachable, which this object
 * keeps it from being. Whether the mapping is still open, in the sense of its API, is the caller's check.
 */
public final class ChunkWords {
    private static final sun.misc.Unsafe UNSAFE = SmallCopy.unsafe();

    /** Whether this JDK gets these accesses: where it gets the Unsafe copy. */
    public static final boolean ENABLED = SmallCopy.ENABLED;

    private final MappedByteBuffer chunk;
    private final long address;
    private final int limit;

    private ChunkWords(MappedByteBuffer chunk, long address, int limit) {
        this.chunk = chunk;
        this.address = address;
        this.limit = limit;
    }

    /**
     * Words of the first {@code limit} bytes of {@code chunk}, a read-write chunk of a mapping.
     *
     * @throws IllegalStateException    where not {@link #ENABLED}
     * @throws IllegalArgumentException if {@code limit} exceeds the chunk, the chunk is read-only, not 8-byte aligned, or
     *                                  the view of a memory segment (whose owner may unmap it at any time)
     */
    public static ChunkWords of(MappedByteBuffer chunk, int limit) {
        if (!ENABLED) {
            throw new IllegalStateException("words by address only on JDK 17-21, where the buffer views cost more and "
                    + "Unsafe does not warn");
        }
        if (!SmallCopy.ownMapping(chunk)) {
            throw new IllegalArgumentException("a chunk that views a memory segment can be unmapped by the segment's "
                    + "owner at any time: not for words by address");
        }
        if (chunk.isReadOnly() || limit < 0 || limit > chunk.capacity()) {
            throw new IllegalArgumentException(limit + " bytes of a " + chunk.capacity() + "-byte "
                    + (chunk.isReadOnly() ? "read-only " : "") + "chunk cannot be written word by word");
        }
        long address = SmallCopy.chunkAddress(chunk);
        if ((address & (Long.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("a chunk at " + Long.toHexString(address) + " is not 8-byte aligned");
        }
        return new ChunkWords(chunk, address, limit);
    }

    /**
     * Checks that the {@code size}-byte word at {@code at} lies within the first {@code limit} bytes and is aligned;
     * the same check for the callers' own, slower route on newer JDKs, so a bad offset is the same error everywhere.
     *
     * @throws IndexOutOfBoundsException naming the offset otherwise
     */
    public static void checkWord(int at, int size, int limit) {
        if (at < 0 || at > limit - size || (at & (size - 1)) != 0) {
            throw new IndexOutOfBoundsException("a " + size + "-byte word at " + at + " is misaligned or outside "
                    + limit + " bytes");
        }
    }

    private long word(int at, int size) {
        checkWord(at, size, limit);
        return address + at;
    }

    /**
     * Copies {@code length} bytes of {@code src}, from its position, to {@code at}, advancing the position; false
     * (nothing copied) for a buffer this route does not take — a view of a JDK memory segment, a read-only heap buffer
     * (whose array it may not see) — which the caller copies through the JDK instead.
     *
     * @throws IndexOutOfBoundsException if the bytes are not all within the limit, or not all in {@code src}
     */
    public boolean copyIn(int at, ByteBuffer src, int length) {
        boolean copied = SmallCopy.copyFrom(src, length, bytes(at, length));
        Reference.reachabilityFence(chunk);
        return copied;
    }

    /** Copies {@code length} bytes from {@code at} into {@code dst} at its position; as {@link #copyIn}. */
    public boolean copyOut(int at, ByteBuffer dst, int length) {
        boolean copied = SmallCopy.copyTo(bytes(at, length), dst, length);
        Reference.reachabilityFence(chunk);
        return copied;
    }

    private long bytes(int at, int length) {
        if (at < 0 || length < 0 || at > limit - length) {
            throw new IndexOutOfBoundsException(length + " bytes at " + at + " are outside " + limit + " bytes");
        }
        return address + at;
    }

    public void putLong(int at, long value) {
        UNSAFE.putLong(word(at, Long.BYTES), value);
        Reference.reachabilityFence(chunk);
    }

    public int getInt(int at) {
        int value = UNSAFE.getInt(word(at, Integer.BYTES));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** A volatile load: at least acquire. */
    public long getLongAcquire(int at) {
        long value = UNSAFE.getLongVolatile(null, word(at, Long.BYTES));
        Reference.reachabilityFence(chunk);
        return value;
    }

    /** An ordered store: release. */
    public void putLongRelease(int at, long value) {
        UNSAFE.putOrderedLong(null, word(at, Long.BYTES), value);
        Reference.reachabilityFence(chunk);
    }

    public void putIntRelease(int at, int value) {
        UNSAFE.putOrderedInt(null, word(at, Integer.BYTES), value);
        Reference.reachabilityFence(chunk);
    }

    public int getIntVolatile(int at) {
        int value = UNSAFE.getIntVolatile(null, word(at, Integer.BYTES));
        Reference.reachabilityFence(chunk);
        return value;
    }

    public void putIntVolatile(int at, int value) {
        UNSAFE.putIntVolatile(null, word(at, Integer.BYTES), value);
        Reference.reachabilityFence(chunk);
    }

    public boolean compareAndSetInt(int at, int expected, int update) {
        boolean set = UNSAFE.compareAndSwapInt(null, word(at, Integer.BYTES), expected, update);
        Reference.reachabilityFence(chunk);
        return set;
    }

    public int getAndAddInt(int at, int delta) {
        int value = UNSAFE.getAndAddInt(null, word(at, Integer.BYTES), delta);
        Reference.reachabilityFence(chunk);
        return value;
    }
}
