package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two threads and an {@link Exchanger} each way: the sender trades its filled buffer for the receiver's empty one,
 * so every hand-off is a rendezvous and no buffer is ever shared by both at once.
 */
public final class ThreadExchangerMechanism extends ThreadMechanism {
    private static final long CLOSE_WAIT_SECONDS = 5;

    @Override
    public String id() {
        return "thread-exchanger";
    }

    @Override
    public String description() {
        return "two threads, an Exchanger each way (a rendezvous per message); both sides spin briefly, then park";
    }

    @Override
    OneWay direction(int size) {
        return new OneWay() {
            private final Exchanger<ByteBuffer> exchanger = new Exchanger<>();
            private final ByteBuffer endOfStream = ByteBuffer.allocate(0);
            private ByteBuffer senderBuffer = ByteBuffer.allocateDirect(size);   // only the sender touches it
            private ByteBuffer receiverBuffer = ByteBuffer.allocateDirect(size); // only the receiver touches it
            private volatile boolean ended;
            private volatile boolean closeSent;

            @Override
            public void send(ByteBuffer message) throws IOException {
                senderBuffer.clear().put(message).flip();
                try {
                    senderBuffer = exchanger.exchange(senderBuffer);
                } catch (InterruptedException e) {
                    throw interrupted();
                }
            }

            @Override
            public void receive(ByteBuffer into) throws IOException {
                if (ended) {
                    throw new EOFException("the sender closed");
                }
                try {
                    ByteBuffer filled = exchanger.exchange(receiverBuffer);
                    if (filled == endOfStream) {
                        ended = true;
                        throw new EOFException("the sender closed");
                    }
                    into.put(filled);
                    receiverBuffer = filled;
                } catch (InterruptedException e) {
                    throw interrupted();
                }
            }

            @Override
            public void close() {
                if (closeSent) {
                    return;
                }
                closeSent = true;
                try {
                    exchanger.exchange(endOfStream, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (TimeoutException nobodyReceiving) {
                    // the receiver is gone; nobody is left to tell
                }
            }
        };
    }
}
