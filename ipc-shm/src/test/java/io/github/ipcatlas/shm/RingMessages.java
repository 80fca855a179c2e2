package io.github.ipcatlas.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Test messages whose length and every byte depend on their index, so a lost, doubled or torn one shows. */
public final class RingMessages {
    private RingMessages() {
    }

    /** Writes message {@code index} into {@code buffer} (1 to 300 bytes). */
    public static void fill(ByteBuffer buffer, int index) {
        int length = 1 + index % 300;
        for (int i = 0; i < length; i++) {
            buffer.put((byte) (index * 7 + i));
        }
    }

    /**
     * Starts {@code consumer.receive} of an up-to-{@code capacity}-byte record in a platform thread of its own (a
     * futex sleep ignores interrupts, so not a pool's), with {@code timeout}.
     */
    public static CompletableFuture<Integer> receiveInThread(RingConsumer consumer, int capacity, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive(ByteBuffer.allocate(capacity), timeout);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, runnable -> new Thread(runnable).start());
    }

    /** Whether {@code buffer} (flipped) holds exactly message {@code index}. */
    public static boolean matches(ByteBuffer buffer, int index) {
        int length = 1 + index % 300;
        if (buffer.remaining() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(buffer.position() + i) != (byte) (index * 7 + i)) {
                return false;
            }
        }
        return true;
    }
}
