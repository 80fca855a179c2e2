package io.github.ipcatlas.shm;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * An {@code int} in shared memory — the exact twin of Python's {@code multiprocessing.Value('i')} — with the same
 * operations and guarantees as {@link SharedLong}. Thread- and process-safe; 4-byte aligned offset.
 */
public final class SharedInt {
    private final MappedFile memory;
    private final long offset;

    /** The {@code int} at {@code offset} of {@code memory}. */
    public SharedInt(MappedFile memory, long offset) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.offset = offset;
        memory.getIntVolatile(offset); // checks bounds and alignment now, not at first use
    }

    /** The value, volatile. */
    public int get() {
        return memory.getIntVolatile(offset);
    }

    /** Sets the value, volatile. */
    public void set(int value) {
        memory.setIntVolatile(offset, value);
    }

    /** The value, with acquire ordering. */
    public int getAcquire() {
        return memory.getIntAcquire(offset);
    }

    /** Sets the value with release ordering. */
    public void setRelease(int value) {
        memory.setIntRelease(offset, value);
    }

    /** Atomically adds {@code delta}; returns the previous value. */
    public int getAndAdd(int delta) {
        return memory.getAndAddInt(offset, delta);
    }

    /** Atomically sets the value to {@code update} if it is {@code expected}. */
    public boolean compareAndSet(int expected, int update) {
        return memory.compareAndSetInt(offset, expected, update);
    }

    /** Atomically replaces the value with {@code function} of it (retried on contention); returns the new value. */
    public int updateAndGet(IntUnaryOperator function) {
        while (true) {
            int current = get();
            int next = function.applyAsInt(current);
            if (compareAndSet(current, next)) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return Integer.toString(get());
    }
}
