package io.github.ipcatlas.mmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

import io.github.ipcatlas.mmap.access.SmallCopy;

/**
 * The typed accessors of a {@link MappedFile}: plain, bulk, ordered and atomic access by {@code long} offset over a
 * row of 1 GiB buffers, each behind the one access guard ({@link #check}: open, in bounds). Not API on its own.
 */
abstract class MappedAccess {
    static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024);

    final long position;
    final long length;
    final MappedByteBuffer[] chunks;
    /** Read by every access: one field of this object. */
    volatile boolean closed;

    MappedAccess(long position, long length, MappedByteBuffer[] chunks) {
        this.position = position;
        this.length = length;
        this.chunks = chunks;
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
        int length = dst.remaining();
        check(offset, length);
        if (length == 0) {
            return;
        }
        MappedByteBuffer first = chunks[(int) (offset >>> CHUNK_SHIFT)];
        if ((long) index(offset) + length <= first.capacity() && SmallCopy.copyOut(first, index(offset), dst, length)) {
            return;
        }
        for (long at = offset; dst.hasRemaining(); ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = Math.min(dst.remaining(), chunk.capacity() - index(at));
            dst.put(dst.position(), chunk, index(at), n).position(dst.position() + n);
            at += n;
        }
    }

    /** Copies {@code src}'s remaining bytes to {@code offset}, across chunks as needed. */
    public void put(long offset, ByteBuffer src) {
        int length = src.remaining();
        check(offset, length);
        if (length == 0) {
            return;
        }
        MappedByteBuffer first = chunks[(int) (offset >>> CHUNK_SHIFT)];
        if ((long) index(offset) + length <= first.capacity() && SmallCopy.copyIn(src, length, first, index(offset))) {
            return;
        }
        for (long at = offset; src.hasRemaining(); ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = Math.min(src.remaining(), chunk.capacity() - index(at));
            chunk.put(index(at), src, src.position(), n);
            src.position(src.position() + n);
            at += n;
        }
    }

    /** Sets {@code length} bytes from {@code offset} to zero, across chunks as needed. */
    public void zero(long offset, long length) {
        check(offset, length);
        for (long at = offset, left = length; left > 0; ) {
            MappedByteBuffer chunk = chunks[(int) (at >>> CHUNK_SHIFT)];
            int n = (int) Math.min(Math.min(left, ZEROS.capacity()), chunk.capacity() - index(at));
            chunk.put(index(at), ZEROS, 0, n); // absolute: ZEROS itself never changes, so threads may share it
            at += n;
            left -= n;
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

    // ---- the one access guard ------------------------------------------------------------------------------------

    /** Checks that the region is open and holds {@code size} bytes at {@code offset}. */
    final void check(long offset, long size) {
        ensureOpen();
        if (offset < 0 || size < 0 || offset > length - size) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + size + " bytes) is outside the "
                    + length + "-byte mapping of " + this);
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

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + ": the mapping is closed");
        }
    }

    static int index(long offset) {
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
