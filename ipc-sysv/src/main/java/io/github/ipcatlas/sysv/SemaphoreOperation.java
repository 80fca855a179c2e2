package io.github.ipcatlas.sysv;

/**
 * One operation of a {@code semop(2)} call, a {@code struct sembuf}: add {@code delta} to semaphore {@code index}
 * (waiting while that would make it negative), or with delta 0 wait until it is zero. All operations of one call
 * happen atomically, or none does.
 *
 * <p>{@link #withUndo()} sets {@code SEM_UNDO}: the kernel records the opposite change and applies it when the
 * process exits, however it exits — SIGKILL included. A lock taken with undo is released when its holder dies;
 * that is System V's answer to the crashed-holder problem that a POSIX semaphore does not solve.
 *
 * <p>Immutable; thread-safe. Make operations once and reuse them.
 */
public final class SemaphoreOperation {
    /** The largest value a semaphore holds ({@code SEMVMX}). */
    public static final int MAX_VALUE = 32767;

    private final int index;
    private final int delta;
    private final boolean undo;

    private SemaphoreOperation(int index, int delta, boolean undo) {
        this.index = index;
        this.delta = delta;
        this.undo = undo;
    }

    /**
     * Adds {@code delta} to semaphore {@code index}; a negative delta waits until the value is at least
     * {@code -delta}, and 0 waits until the value is 0.
     *
     * @throws IllegalArgumentException if {@code index} is negative or {@code delta} is outside -32767..32767 (no
     *                                  value reaches 32768, so taking that much could never happen)
     */
    public static SemaphoreOperation add(int index, int delta) {
        if (index < 0 || index > 0xFFFF) {
            throw new IllegalArgumentException("semaphore index " + index + " is outside 0..65535");
        }
        if (delta < -MAX_VALUE || delta > MAX_VALUE) {
            throw new IllegalArgumentException("semaphore delta " + delta + " is outside " + -MAX_VALUE + ".."
                    + MAX_VALUE);
        }
        return new SemaphoreOperation(index, delta, false);
    }

    /** Takes one from semaphore {@code index}, waiting while it is 0 (P, wait, down). */
    public static SemaphoreOperation acquire(int index) {
        return add(index, -1);
    }

    /** Gives one to semaphore {@code index} (V, signal, up). */
    public static SemaphoreOperation release(int index) {
        return add(index, 1);
    }

    /** Waits until semaphore {@code index} is 0. */
    public static SemaphoreOperation waitForZero(int index) {
        return add(index, 0);
    }

    /** The same operation with {@code SEM_UNDO}: undone by the kernel when this process exits. */
    public SemaphoreOperation withUndo() {
        return new SemaphoreOperation(index, delta, true);
    }

    /** The semaphore's index in its set. */
    public int index() {
        return index;
    }

    /** The change; 0 waits for zero. */
    public int delta() {
        return delta;
    }

    /** Whether {@code SEM_UNDO} is set. */
    public boolean undo() {
        return undo;
    }

    @Override
    public String toString() {
        return "semaphore " + index + (delta == 0 ? " wait for zero" : (delta > 0 ? " +" : " ") + delta)
                + (undo ? " (undo)" : "");
    }
}
