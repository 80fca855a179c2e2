package io.github.ipcatlas.shm;

import java.util.function.DoubleUnaryOperator;

import io.github.ipcatlas.mmap.MappedFile;

/**
 * A {@code double} in shared memory — the twin of {@code multiprocessing.Value('d')} — stored as its IEEE bits in
 * a {@code long}, so the same atomic instructions apply. Thread- and process-safe; 8-byte aligned offset.
 */
public final class SharedDouble {
    private final SharedLong bits;

    /** The {@code double} at {@code offset} of {@code memory}. */
    public SharedDouble(MappedFile memory, long offset) {
        this.bits = new SharedLong(memory, offset);
    }

    /** The value, volatile. */
    public double get() {
        return Double.longBitsToDouble(bits.get());
    }

    /** Sets the value, volatile. */
    public void set(double value) {
        bits.set(Double.doubleToRawLongBits(value));
    }

    /** Atomically adds {@code delta} (a compare-and-set loop); returns the new value. */
    public double addAndGet(double delta) {
        return updateAndGet(v -> v + delta);
    }

    /** Atomically replaces the value with {@code function} of it; returns the new value. */
    public double updateAndGet(DoubleUnaryOperator function) {
        return Double.longBitsToDouble(bits.updateAndGet(
                raw -> Double.doubleToRawLongBits(function.applyAsDouble(Double.longBitsToDouble(raw)))));
    }

    @Override
    public String toString() {
        return Double.toString(get());
    }
}
