package io.github.ipcatlas.shm;

import java.util.Objects;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * A fixed-length array of {@code long}s in shared memory — the twin of {@code multiprocessing.Array('q', n)} —
 * with volatile and atomic access per element. Thread- and process-safe; 8-byte aligned offset.
 */
public final class SharedLongArray {
    private final MappedFile memory;
    private final long offset;
    private final int length;

    /**
     * {@code length} elements from {@code offset} of {@code memory}.
     *
     * @throws IllegalArgumentException if they do not fit or the offset is misaligned
     */
    public SharedLongArray(MappedFile memory, long offset, int length) {
        this.memory = Objects.requireNonNull(memory, "memory");
        if (length < 0 || offset < 0 || offset % Long.BYTES != 0
                || offset > memory.length() - (long) length * Long.BYTES) {
            throw new IllegalArgumentException("an array of " + length + " longs at offset " + offset
                    + " must be 8-byte aligned and fit in the " + memory.length() + "-byte segment");
        }
        this.offset = offset;
        this.length = length;
    }

    /** Bytes an array of {@code length} longs occupies. */
    public static long footprint(int length) {
        return (long) length * Long.BYTES;
    }

    /** Number of elements. */
    public int length() {
        return length;
    }

    /** Element {@code index}, volatile. */
    public long get(int index) {
        return memory.getLongVolatile(at(index));
    }

    /** Sets element {@code index}, with release ordering. */
    public void set(int index, long value) {
        memory.setLongRelease(at(index), value);
    }

    /** Atomically adds {@code delta} to element {@code index}; returns the previous value. */
    public long getAndAdd(int index, long delta) {
        return memory.getAndAddLong(at(index), delta);
    }

    /** Atomically sets element {@code index} to {@code update} if it is {@code expected}. */
    public boolean compareAndSet(int index, long expected, long update) {
        return memory.compareAndSetLong(at(index), expected, update);
    }

    /** A copy of the elements, each read volatile. */
    public long[] toArray() {
        long[] copy = new long[length];
        for (int i = 0; i < length; i++) {
            copy[i] = get(i);
        }
        return copy;
    }

    private long at(int index) {
        Objects.checkIndex(index, length);
        return offset + (long) index * Long.BYTES;
    }
}
