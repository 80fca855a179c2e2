package io.github.ipcatlas.mqueue;

/**
 * Where a receive reports the length and priority of the message it got, without allocating: create one per
 * receiving thread and reuse it.
 *
 * <p>Not thread-safe: one per thread.
 */
public final class Delivery {
    private int length = -1;
    private int priority = -1;

    /** Bytes of the last message received through this object, or -1 if none arrived. */
    public int length() {
        return length;
    }

    /** Priority of the last message received through this object, or -1 if none arrived. */
    public int priority() {
        return priority;
    }

    void set(int receivedLength, int receivedPriority) {
        this.length = receivedLength;
        this.priority = receivedPriority;
    }

    @Override
    public String toString() {
        return "Delivery[length=" + length + ", priority=" + priority + "]";
    }
}
