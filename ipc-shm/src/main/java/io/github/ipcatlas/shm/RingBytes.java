package io.github.ipcatlas.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.ChunkWords;
import io.github.ipcatlas.mmap.access.NativeAccess;

/**
 * A ring's bytes, read and written straight through the mapping's buffer: the ring checks that the mapping is open
 * once per operation ({@link #ensureOpen()}) and every record header it reads before use, where {@link MappedFile}
 * would check each field access. That per-access guard — a volatile read, after which the JIT must reload the buffer
 * and its bounds — cost more than the copy of a 64-byte record. On JDK 17–21 words are read and written by address
 * ({@link ChunkWords}), since the buffer's own VarHandle views re-check its limit, mode and session on every access;
 * on newer JDKs through those views. Every access is bounds- and alignment-checked first
 * ({@link ChunkWords#checkWord}, on both routes), so a wrong offset is an exception, never a stray write. Offsets are
 * {@code int}s: a ring lies in the mapping's first 1 GiB chunk. Not thread-safe in itself; allocates nothing.
 */
final class RingBytes {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** JDK 17–21: words by address ({@link ChunkWords}); newer JDKs: the buffer's VarHandle views. */
    private static final boolean RAW = ChunkWords.ENABLED;

    private final MappedFile memory;
    private final MappedByteBuffer bytes;
    private final long mask;
    /** JDK 17–21: the ring's words by address; null on newer JDKs. */
    private final ChunkWords words;
    /** Bytes of the chunk the ring uses: header and data. */
    private final int limit;

    /** The bytes of the ring of {@code capacity} data bytes at the start of {@code memory}. */
    RingBytes(MappedFile memory, long capacity) {
        this.memory = memory;
        this.limit = (int) RingLayout.segmentBytes(capacity);
        this.bytes = NativeAccess.firstBuffer(memory, limit);
        this.mask = capacity - 1;
        this.words = RAW ? ChunkWords.of(bytes, limit) : null;
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
     * Throws {@link IllegalStateException} if the mapping was closed. The buffer itself refuses nothing after close
     * (the memory stays mapped while it is reachable), so each operation starts here.
     */
    void ensureOpen() {
        if (!memory.isOpen()) {
            throw new IllegalStateException(memory + ": the mapping is closed");
        }
    }

    void putLong(int at, long value) {
        if (RAW) {
            words.putLong(at, value);
        } else {
            ChunkWords.checkWord(at, Long.BYTES, limit);
            LONGS.set(bytes, at, value);
        }
    }

    int getInt(int at) {
        if (RAW) {
            return words.getInt(at);
        }
        ChunkWords.checkWord(at, Integer.BYTES, limit);
        return (int) INTS.get(bytes, at);
    }

    long getLongAcquire(int at) {
        if (RAW) {
            return words.getLongAcquire(at);
        }
        ChunkWords.checkWord(at, Long.BYTES, limit);
        return (long) LONGS.getAcquire(bytes, at);
    }

    void setLongRelease(int at, long value) {
        if (RAW) {
            words.putLongRelease(at, value);
        } else {
            ChunkWords.checkWord(at, Long.BYTES, limit);
            LONGS.setRelease(bytes, at, value);
        }
    }

    int getIntVolatile(int at) {
        if (RAW) {
            return words.getIntVolatile(at);
        }
        ChunkWords.checkWord(at, Integer.BYTES, limit);
        return (int) INTS.getVolatile(bytes, at);
    }

    void setIntVolatile(int at, int value) {
        if (RAW) {
            words.putIntVolatile(at, value);
        } else {
            ChunkWords.checkWord(at, Integer.BYTES, limit);
            INTS.setVolatile(bytes, at, value);
        }
    }

    void setIntRelease(int at, int value) {
        if (RAW) {
            words.putIntRelease(at, value);
        } else {
            ChunkWords.checkWord(at, Integer.BYTES, limit);
            INTS.setRelease(bytes, at, value);
        }
    }

    boolean compareAndSetInt(int at, int expected, int update) {
        if (RAW) {
            return words.compareAndSetInt(at, expected, update);
        }
        ChunkWords.checkWord(at, Integer.BYTES, limit);
        return INTS.compareAndSet(bytes, at, expected, update);
    }

    int getAndAddInt(int at, int delta) {
        if (RAW) {
            return words.getAndAddInt(at, delta);
        }
        ChunkWords.checkWord(at, Integer.BYTES, limit);
        return (int) INTS.getAndAdd(bytes, at, delta);
    }

    /** Copies {@code length} bytes of {@code src}, from its position, to {@code at}, advancing its position. */
    void copyIn(int at, ByteBuffer src, int length) {
        if (!(RAW && words.copyIn(at, src, length))) {
            int position = src.position();
            bytes.put(at, src, position, length);
            src.position(position + length);
        }
    }

    /** Copies {@code length} bytes from {@code at} into {@code dst} at its position, advancing its position. */
    void copyOut(int at, ByteBuffer dst, int length) {
        if (!(RAW && words.copyOut(at, dst, length))) {
            int position = dst.position();
            dst.put(position, bytes, at, length);
            dst.position(position + length);
        }
    }
}
