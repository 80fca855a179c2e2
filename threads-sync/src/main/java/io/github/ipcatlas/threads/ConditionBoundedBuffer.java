package io.github.ipcatlas.threads;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The classic bounded buffer with one lock and <b>two</b> condition variables, the example of
 * {@link Condition}'s own documentation: producers wait on {@code notFull}, consumers on {@code notEmpty}, so a
 * signal always wakes a thread that can make progress.
 *
 * <p>Every wait sits in a loop that re-checks its predicate: a thread can wake without a signal (a spurious
 * wake-up), or be signalled and find that another thread took the slot first.
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of threads; actions before {@code put}
 * happen-before actions after the {@code take} that returns that element.
 *
 * @param <E> the element type; {@code null} is refused
 */
public final class ConditionBoundedBuffer<E> implements BlockingBuffer<E> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    // Guarded by lock: a ring of items, the next slot to take from, and how many slots are used.
    private final Object[] items;
    private int takeIndex;
    private int count;

    /** A buffer of {@code capacity} slots (at least 1). */
    public ConditionBoundedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity " + capacity + " must be at least 1");
        }
        this.items = new Object[capacity];
    }

    @Override
    public void put(E element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        lock.lockInterruptibly();
        try {
            while (count == items.length) {
                notFull.await();
            }
            items[(takeIndex + count) % items.length] = element;
            count++;
            notEmpty.signal(); // one element: one consumer can use it
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                notEmpty.await();
            }
            @SuppressWarnings("unchecked")
            E element = (E) items[takeIndex];
            items[takeIndex] = null;
            takeIndex = (takeIndex + 1) % items.length;
            count--;
            notFull.signal(); // one free slot: one producer can use it
            return element;
        } finally {
            lock.unlock();
        }
    }
}
