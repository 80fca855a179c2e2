package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message at a time from one process to another through shared memory, both sides spinning: the sender waits
 * until the previous message was taken, writes the next, then publishes its number; the receiver waits for that
 * number, copies the message and says it took it. The C twin in {@code pingpong.c} lays it out the same way.
 *
 * <pre>
 * offset   0  long sent      number of the last message published (sender, release)    own cache line
 * offset  64  long taken     number of the last message taken (receiver, release)      own cache line
 * offset 128  int  length    the message's length, or -1 for the end of the conversation
 * offset 136  the message, up to the capacity
 * </pre>
 *
 * Everything read from the memory is checked before use: another process writes it.
 */
final class Mailbox {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int SENT = 0;
    private static final int TAKEN = 64;
    private static final int LENGTH = 128;
    private static final int PAYLOAD = 136;
    private static final int END = -1;
    /** Spins between two looks at whether the other side is still there. */
    private static final int SPINS_PER_CHECK = 1 << 12;

    /** Checks, while waiting, that the other side still exists. */
    @FunctionalInterface
    interface PeerCheck {
        void check() throws IOException;
    }

    private final ByteBuffer memory;
    private final int capacity;
    private long count;

    Mailbox(ByteBuffer memory, int capacity) {
        if (capacity < 0 || memory.capacity() < PAYLOAD + capacity) {
            throw new IllegalArgumentException("a mailbox for " + capacity + " bytes needs " + (PAYLOAD + capacity)
                    + " bytes of memory, not " + memory.capacity());
        }
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.capacity = capacity;
    }

    /** Bytes of memory for a mailbox of {@code capacity}, in whole cache lines. */
    static long bytes(int capacity) {
        return (PAYLOAD + (long) capacity + 63) & ~63L;
    }

    /** The largest capacity {@code bytes} of memory hold. */
    static int capacity(long bytes) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, bytes - PAYLOAD));
    }

    void send(ByteBuffer message, PeerCheck peer) throws IOException {
        int length = message.remaining();
        if (length > capacity) {
            throw new IllegalArgumentException("message of " + length + " bytes; the mailbox holds " + capacity);
        }
        awaitTaken(peer);
        memory.put(PAYLOAD, message, message.position(), length);
        message.position(message.position() + length);
        publish(length);
    }

    /** Tells the receiver that the conversation is over. */
    void end(PeerCheck peer) throws IOException {
        awaitTaken(peer);
        publish(END);
    }

    void receive(ByteBuffer into, PeerCheck peer) throws IOException {
        long next = count + 1;
        for (int spins = 1; ; spins++) {
            long sent = (long) LONGS.getAcquire(memory, SENT);
            if (sent == next) {
                break;
            }
            if (sent != count) {
                throw new IOException("the mailbox says message " + sent + " where " + count + " or " + next
                        + " was expected: another process wrote into it");
            }
            pause(spins, peer);
        }
        int length = memory.getInt(LENGTH);
        if (length == END) {
            throw new EOFException("the sender ended the conversation");
        }
        if (length != into.remaining()) {
            throw new IOException("a message of " + length + " bytes where " + into.remaining() + " were expected");
        }
        into.put(into.position(), memory, PAYLOAD, length).position(into.position() + length);
        count = next;
        LONGS.setRelease(memory, TAKEN, next);
    }

    private void awaitTaken(PeerCheck peer) throws IOException {
        for (int spins = 1; ; spins++) {
            long taken = (long) LONGS.getAcquire(memory, TAKEN);
            if (taken == count) {
                return;
            }
            if (taken != count - 1) {
                throw new IOException("the mailbox says message " + taken + " was taken where " + (count - 1) + " or "
                        + count + " was expected: another process wrote into it");
            }
            pause(spins, peer);
        }
    }

    private void publish(int length) {
        memory.putInt(LENGTH, length);
        count++;
        LONGS.setRelease(memory, SENT, count);
    }

    private static void pause(int spins, PeerCheck peer) throws IOException {
        Thread.onSpinWait();
        if (spins % SPINS_PER_CHECK == 0) {
            peer.check();
        }
    }
}
