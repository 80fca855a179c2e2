package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads, and each way a ring of message slots guarded by one lock and two condition variables
 * ({@code notFull}, {@code notEmpty}) — the bounded buffer of the condition-variable lesson, moving bytes.
 */
public final class ThreadConditionMechanism extends ThreadMechanism {

    @Override
    public String id() {
        return "thread-condition";
    }

    @Override
    public String description() {
        return "two threads, a lock and two conditions each way; both sides park while waiting";
    }

    @Override
    OneWay direction(int size) {
        return new OneWay() {
            private final ReentrantLock lock = new ReentrantLock();
            private final Condition notFull = lock.newCondition();
            private final Condition notEmpty = lock.newCondition();
            private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
            // Guarded by lock.
            private int head;
            private int count;
            private boolean closed;

            {
                for (int i = 0; i < SLOTS; i++) {
                    slots[i] = ByteBuffer.allocateDirect(size);
                }
            }

            @Override
            public void send(ByteBuffer message) throws IOException {
                lock.lock();
                try {
                    while (count == SLOTS) {
                        notFull.await();
                    }
                    slots[(head + count) % SLOTS].clear().put(message).flip();
                    count++;
                    notEmpty.signal();
                } catch (InterruptedException e) {
                    throw interrupted();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void receive(ByteBuffer into) throws IOException {
                lock.lock();
                try {
                    while (count == 0) {
                        if (closed) {
                            throw new EOFException("the sender closed");
                        }
                        notEmpty.await();
                    }
                    into.put(slots[head]);
                    head = (head + 1) % SLOTS;
                    count--;
                    notFull.signal();
                } catch (InterruptedException e) {
                    throw interrupted();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    closed = true;
                    notEmpty.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
