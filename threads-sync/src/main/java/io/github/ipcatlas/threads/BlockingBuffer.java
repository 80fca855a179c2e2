package io.github.ipcatlas.threads;

/**
 * A bounded buffer between producer and consumer threads: what the condition-variable lessons build by hand.
 *
 * @param <E> the element type
 */
public interface BlockingBuffer<E> {
    /** Adds {@code element}, waiting while the buffer is full. */
    void put(E element) throws InterruptedException;

    /** Removes the oldest element, waiting while the buffer is empty. */
    E take() throws InterruptedException;
}
