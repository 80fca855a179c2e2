package io.github.ipcatlas.threads;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO queue that can be closed: the clean way to end a producer/consumer pipeline without a poison pill.
 *
 * <p>After {@link #close()}, producers get {@link QueueClosedException}; consumers first drain what is left, then
 * get {@link QueueClosedException} too. Every thread blocked in {@link #put} or {@link #take} is woken by
 * {@code close()} — the thing a poison pill cannot do for several consumers without one pill each, and cannot do
 * at all for a producer blocked on a full queue.
 *
 * <pre>{@code
 * consumer:  while (true) { Job job; try { job = queue.take(); } catch (QueueClosedException done) { break; } ... }
 * producer:  queue.put(job); ... queue.close();
 * }</pre>
 *
 * <p><b>Thread-safety and memory effects.</b> Safe for any number of producers and consumers. As with
 * {@link java.util.concurrent.BlockingQueue}, actions in a thread before putting an element happen-before actions
 * after that element is taken in another thread; actions before {@code close()} happen-before the
 * {@code QueueClosedException} it causes.
 *
 * @param <E> the element type; {@code null} is refused
 */
public final class ClosableQueue<E> {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<E> items; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * @param capacity how many elements it holds before {@code put} blocks (back-pressure); at least 1
     */
    public ClosableQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity " + capacity + " must be at least 1");
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Adds {@code element}, waiting while the queue is full.
     *
     * @throws QueueClosedException if the queue is (or becomes, while waiting) closed
     */
    public void put(E element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        lock.lockInterruptibly();
        try {
            while (items.size() == capacity && !closed) {
                notFull.await();
            }
            enqueue(element);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code element} if room appears within {@code timeout}.
     *
     * @return false on timeout
     * @throws QueueClosedException if the queue is closed
     */
    public boolean offer(E element, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        long nanos = Event.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.size() == capacity && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            enqueue(element);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest element, waiting while the queue is empty and open.
     *
     * @throws QueueClosedException once the queue is closed and empty
     */
    public E take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed) {
                notEmpty.await();
            }
            return dequeue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest element, waiting at most {@code timeout}.
     *
     * @return the element, or empty on timeout
     * @throws QueueClosedException once the queue is closed and empty
     */
    public Optional<E> poll(Duration timeout) throws InterruptedException {
        long nanos = Event.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return Optional.of(dequeue());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves up to {@code max} elements into {@code sink} without waiting: batching, one lock acquisition for many
     * elements.
     *
     * @return how many were moved
     */
    public int drainTo(Collection<? super E> sink, int max) {
        Objects.requireNonNull(sink, "sink");
        lock.lock();
        try {
            int moved = 0;
            while (moved < max && !items.isEmpty()) {
                sink.add(items.poll());
                moved++;
            }
            if (moved > 0) {
                notFull.signalAll();
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further elements and wakes every blocked producer and consumer. Idempotent. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Elements waiting to be taken. */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(E element) {
        if (closed) {
            throw new QueueClosedException("queue is closed: " + element + " was not added");
        }
        items.add(element);
        notEmpty.signal();
    }

    private E dequeue() {
        E element = items.poll();
        if (element == null) {
            throw new QueueClosedException("queue is closed and drained");
        }
        notFull.signal();
        return element;
    }
}
