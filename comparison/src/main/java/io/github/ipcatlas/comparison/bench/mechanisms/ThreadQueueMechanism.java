package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Two threads and a {@code BlockingQueue} each way ({@link ArrayBlockingQueue}, which allocates no nodes): the
 * sender takes a buffer from a pool, fills it and puts it on the queue; the receiver takes it, copies it out and
 * returns it to the pool. Both sides block (park) while waiting.
 */
public final class ThreadQueueMechanism extends ThreadMechanism {

    @Override
    public String id() {
        return "thread-queue";
    }

    @Override
    public String description() {
        return "two threads, an ArrayBlockingQueue each way; both sides park while waiting";
    }

    @Override
    OneWay direction(int size) {
        return new OneWay() {
            private final ByteBuffer endOfStream = ByteBuffer.allocate(0);
            private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(SLOTS + 1);
            private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(SLOTS);

            {
                for (int i = 0; i < SLOTS; i++) {
                    free.add(ByteBuffer.allocateDirect(size));
                }
            }

            @Override
            public void send(ByteBuffer message) throws IOException {
                try {
                    ByteBuffer slot = free.take();
                    slot.clear().put(message).flip();
                    full.put(slot);
                } catch (InterruptedException e) {
                    throw interrupted();
                }
            }

            @Override
            public void receive(ByteBuffer into) throws IOException {
                try {
                    ByteBuffer slot = full.take();
                    if (slot == endOfStream) {
                        full.put(slot); // later receives see the end too
                        throw new EOFException("the sender closed the queue");
                    }
                    into.put(slot);
                    free.put(slot);
                } catch (InterruptedException e) {
                    throw interrupted();
                }
            }

            @Override
            public void close() {
                full.offer(endOfStream); // room is reserved for it: SLOTS + 1
            }
        };
    }
}
