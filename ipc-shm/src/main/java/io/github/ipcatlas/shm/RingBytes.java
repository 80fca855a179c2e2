package io.github.ipcatlas.shm;

import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.internal.ChunkWords;
import io.github.ipcatlas.mmap.internal.NativeAccess;
import io.github.ipcatlas.mmap.internal.SmallCopy;

/**
 * A ring's bytes, read and written straight through the mapping's buffer: the ring checks that the mapping is open
 * once per operation ({@link #ensureOpen()}) and every record header it reads before use, where {@link MappedFile}
 * would check each field access. That per-access guard — a volatile read, after which the JIT must reload the buffer
 * and its bounds — cost more than the copy of a 64-byte record. On JDK 17–21 words are read and written by address
 * ({@link ChunkWords}), since the buffer's own VarHandle views re-check its limit, mode and session on every access;
 * on newer JDKs through those views. Every access is bounds- and alignment-checked here first, so a wrong offset is
 * an exception, never a stray write. Offsets are {@code int}s: a ring lies in the mapping's
 * first 1 GiB chunk. Not thread-safe in itself; allocates nothing.
 */
final class RingBytes {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** JDK 17–21: words by address ({@link ChunkWords}); newer JDKs: the buffer's VarHandle views. */
    private static final boolean RAW = ChunkWords.ENABLED;

    private final MappedFile memory;
    private final MappedByteBuffer bytes;
    private final long mask;
    /** Where the chunk starts, and how many bytes of it the ring uses: for {@link ChunkWords}' unchecked accesses. */
    private final long address;
    private final int limit;

    /** The bytes of the ring of {@code capacity} data bytes at the start of {@code memory}. */
    RingBytes(MappedFile memory, long capacity) {
        this.memory = memory;
        this.bytes = NativeAccess.firstBuffer(memory, RingLayout.segmentBytes(capacity));
        this.mask = capacity - 1;
        this.address = RAW ? ChunkWords.address(bytes) : 0;
        this.limit = (int) RingLayout.segmentBytes(capacity);
    }

    /** Where the ring's byte {@code position} (a count of bytes ever written, wrapping) lies in the mapping. */
    int offset(long position) {
        return RingLayout.DATA + (int) (position & mask);
    }

    /** The mapping these bytes belong to. */
    MappedFile memory() {
        return memory;
    }

    /**
     * Throws {@link IllegalStateException} if the mapping was closed. On JDK 22+ the buffer itself refuses access
     * after close; on JDK 17–21 it does not (the memory stays mapped while the buffer is reachable), so each operation
     * starts here.
     */
    void ensureOpen() {
        if (!memory.isOpen()) {
            throw new IllegalStateException(memory + ": the region is unmapped");
        }
    }

    void putLong(int at, long value) {
        long word = word(at, Long.BYTES);
        if (RAW) {
            ChunkWords.putLong(word, value);
            Reference.reachabilityFence(bytes);
        } else {
            LONGS.set(bytes, at, value);
        }
    }

    int getInt(int at) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            int value = ChunkWords.getInt(word);
            Reference.reachabilityFence(bytes);
            return value;
        }
        return (int) INTS.get(bytes, at);
    }

    long getLongAcquire(int at) {
        long word = word(at, Long.BYTES);
        if (RAW) {
            long value = ChunkWords.getLongAcquire(word);
            Reference.reachabilityFence(bytes);
            return value;
        }
        return (long) LONGS.getAcquire(bytes, at);
    }

    void setLongRelease(int at, long value) {
        long word = word(at, Long.BYTES);
        if (RAW) {
            ChunkWords.putLongRelease(word, value);
            Reference.reachabilityFence(bytes);
        } else {
            LONGS.setRelease(bytes, at, value);
        }
    }

    int getIntVolatile(int at) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            int value = ChunkWords.getIntVolatile(word);
            Reference.reachabilityFence(bytes);
            return value;
        }
        return (int) INTS.getVolatile(bytes, at);
    }

    void setIntVolatile(int at, int value) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            ChunkWords.putIntVolatile(word, value);
            Reference.reachabilityFence(bytes);
        } else {
            INTS.setVolatile(bytes, at, value);
        }
    }

    void setIntRelease(int at, int value) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            ChunkWords.putIntRelease(word, value);
            Reference.reachabilityFence(bytes);
        } else {
            INTS.setRelease(bytes, at, value);
        }
    }

    boolean compareAndSetInt(int at, int expected, int update) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            boolean set = ChunkWords.compareAndSetInt(word, expected, update);
            Reference.reachabilityFence(bytes);
            return set;
        }
        return INTS.compareAndSet(bytes, at, expected, update);
    }

    int getAndAddInt(int at, int delta) {
        long word = word(at, Integer.BYTES);
        if (RAW) {
            int value = ChunkWords.getAndAddInt(word, delta);
            Reference.reachabilityFence(bytes);
            return value;
        }
        return (int) INTS.getAndAdd(bytes, at, delta);
    }

    /**
     * The address of the aligned {@code size}-byte word at {@code at}, which must lie in the ring: the one check between
     * an offset and raw memory where {@link ChunkWords} skips the buffer's own checks, made on every JDK so that a bad
     * offset is the same error everywhere.
     */
    private long word(int at, int size) {
        if (at < 0 || at > limit - size || (at & (size - 1)) != 0) {
            throw new IndexOutOfBoundsException("a " + size + "-byte word at " + at + " is misaligned or outside a "
                    + limit + "-byte ring");
        }
        return address + at;
    }

    /** Copies {@code length} bytes of {@code src}, from its position, to {@code at}, advancing its position. */
    void copyIn(int at, ByteBuffer src, int length) {
        if (!SmallCopy.copyIn(src, length, bytes, at)) {
            int position = src.position();
            bytes.put(at, src, position, length);
            src.position(position + length);
        }
    }

    /** Copies {@code length} bytes from {@code at} into {@code dst} at its position, advancing its position. */
    void copyOut(int at, ByteBuffer dst, int length) {
        if (!SmallCopy.copyOut(bytes, at, dst, length)) {
            int position = dst.position();
            dst.put(position, bytes, at, length);
            dst.position(position + length);
        }
    }
}
