package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Two threads and a single message slot each way, handed over with volatile counters and <b>busy-waiting</b>
 * ({@link Thread#onSpinWait()}): no system call and no parking, so the fastest possible hand-off — while burning a
 * whole core on each waiting side. Labelled as spinning in every report; never the right choice for virtual
 * threads or for more waiting threads than cores.
 */
public final class ThreadSpinMechanism extends ThreadMechanism {

    @Override
    public String id() {
        return "thread-spin";
    }

    @Override
    public String description() {
        return "two threads, a volatile flag each way; both sides SPIN (busy-wait) instead of parking";
    }

    @Override
    OneWay direction(int size) {
        return new OneWay() {
            private final ByteBuffer slot = ByteBuffer.allocateDirect(size);
            // The volatile write of published releases the slot's bytes to the receiver; the volatile write of
            // consumed hands the slot back. Each counter has one writer.
            private volatile long published;
            private volatile long consumed;
            private volatile boolean closed;

            @Override
            public void send(ByteBuffer message) throws IOException {
                while (consumed != published) { // the receiver has not copied the previous message yet
                    Thread.onSpinWait();
                    if (Thread.interrupted()) {
                        throw interrupted();
                    }
                }
                slot.clear().put(message).flip();
                published = published + 1;
            }

            @Override
            public void receive(ByteBuffer into) throws IOException {
                while (published == consumed) {
                    if (closed && published == consumed) {
                        throw new EOFException("the sender closed");
                    }
                    Thread.onSpinWait();
                    if (Thread.interrupted()) {
                        throw interrupted();
                    }
                }
                int length = slot.limit();
                into.put(into.position(), slot, 0, length).position(into.position() + length); // no duplicate()
                consumed = consumed + 1;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}
