package io.github.ipcatlas.threads;

import java.util.Objects;

/**
 * The same bounded buffer with Java's built-in monitor: {@code synchronized}, {@link Object#wait()} and
 * {@link Object#notifyAll()}. A monitor has a single wait set, so producers and consumers wait together and a
 * plain {@code notify()} could wake the wrong kind of thread (a producer waking another producer while consumers
 * sleep: a lost wake-up that can stall everyone). {@code notifyAll()} is the safe choice, and the reason
 * {@link ConditionBoundedBuffer}'s two conditions exist.
 *
 * <p><b>Thread-safety and memory effects.</b> As {@link ConditionBoundedBuffer}.
 *
 * @param <E> the element type; {@code null} is refused
 */
public final class MonitorBoundedBuffer<E> implements BlockingBuffer<E> {
    // Guarded by this.
    private final Object[] items;
    private int takeIndex;
    private int count;

    /** A buffer of {@code capacity} slots (at least 1). */
    public MonitorBoundedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity " + capacity + " must be at least 1");
        }
        this.items = new Object[capacity];
    }

    @Override
    public synchronized void put(E element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        while (count == items.length) {
            wait();
        }
        items[(takeIndex + count) % items.length] = element;
        count++;
        notifyAll();
    }

    @Override
    public synchronized E take() throws InterruptedException {
        while (count == 0) {
            wait();
        }
        @SuppressWarnings("unchecked")
        E element = (E) items[takeIndex];
        items[takeIndex] = null;
        takeIndex = (takeIndex + 1) % items.length;
        count--;
        notifyAll();
        return element;
    }
}
