package io.github.ipcatlas.shm;

import java.util.Objects;
import java.util.function.LongUnaryOperator;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * A {@code long} in shared memory that several processes read and update — the twin of Python's
 * {@code multiprocessing.Value('q')}.
 *
 * <p><b>Why the atomic methods matter.</b> Python's {@code value.value += 1} without {@code value.get_lock()} is a
 * read, an add and a write; two processes that read the same number both write the same sum, and an increment is
 * lost. {@link #getAndAdd}, {@link #compareAndSet} and {@link #updateAndGet} are single atomic instructions on the
 * shared cache line ({@code lock xadd}, {@code lock cmpxchg}), so concurrent updates from any number of processes all
 * count. {@link #set}/{@link #get} are volatile; {@link #setRelease}/{@link #getAcquire} the cheaper publication pair.
 *
 * <p>Thread- and process-safe. The offset must be 8-byte aligned.
 */
public final class SharedLong {
    private final MappedFile memory;
    private final long offset;

    /** The {@code long} at {@code offset} of {@code memory}. */
    public SharedLong(MappedFile memory, long offset) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.offset = offset;
        memory.getLongVolatile(offset); // checks bounds and alignment now, not at first use
    }

    /** The value, volatile. */
    public long get() {
        return memory.getLongVolatile(offset);
    }

    /** Sets the value, volatile. */
    public void set(long value) {
        memory.setLongVolatile(offset, value);
    }

    /** The value, with acquire ordering. */
    public long getAcquire() {
        return memory.getLongAcquire(offset);
    }

    /** Sets the value with release ordering: writes before it are visible to a process that reads it with acquire. */
    public void setRelease(long value) {
        memory.setLongRelease(offset, value);
    }

    /** Atomically adds {@code delta}; returns the previous value. */
    public long getAndAdd(long delta) {
        return memory.getAndAddLong(offset, delta);
    }

    /** Atomically adds {@code delta}; returns the new value. */
    public long addAndGet(long delta) {
        return memory.getAndAddLong(offset, delta) + delta;
    }

    /** Atomically sets the value to {@code update} if it is {@code expected}. */
    public boolean compareAndSet(long expected, long update) {
        return memory.compareAndSetLong(offset, expected, update);
    }

    /** Atomically replaces the value with {@code function} of it (retried on contention); returns the new value. */
    public long updateAndGet(LongUnaryOperator function) {
        while (true) {
            long current = get();
            long next = function.applyAsLong(current);
            if (compareAndSet(current, next)) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
