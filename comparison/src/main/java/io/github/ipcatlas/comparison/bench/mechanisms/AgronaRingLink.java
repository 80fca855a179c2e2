package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * A {@link Link} over two Agrona {@link OneToOneRingBuffer}s, one each way, used as their users use them: {@code write}
 * from a buffer, {@code read} through a handler, both sides spinning. A record of type {@link #END} ends the
 * conversation; a peer that exits without one is noticed by {@link #peerGone()}. Allocates nothing per message. Not
 * thread-safe: one thread per side.
 */
final class AgronaRingLink implements Link {
    private static final int MESSAGE = 1;
    private static final int END = 2;
    /** Spins between two looks at the clock and at the peer. */
    private static final int SPINS_PER_CHECK = 256;

    private final OneToOneRingBuffer in;
    private final OneToOneRingBuffer out;
    private final MappedFile inMemory;
    private final MappedFile outMemory;
    private final UnsafeBuffer outgoing = new UnsafeBuffer(0, 0);
    private final MessageHandler copier = this::copy;
    private volatile boolean peerGone;
    private ByteBuffer into;
    private int receivedType;
    private int receivedLength;

    AgronaRingLink(OneToOneRingBuffer in, OneToOneRingBuffer out, MappedFile inMemory, MappedFile outMemory) {
        this.in = in;
        this.out = out;
        this.inMemory = inMemory;
        this.outMemory = outMemory;
    }

    /** Called once the peer process has exited: a waiting side then fails instead of spinning to its deadline. */
    void peerGone() {
        peerGone = true;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        ensureOpen();
        int length = message.remaining();
        outgoing.wrap(message, message.position(), length);
        long deadline = 0;
        for (int spins = 1; !out.write(MESSAGE, outgoing, 0, length); spins++) {
            if (spins % SPINS_PER_CHECK == 0) {
                deadline = check(deadline, "waiting for room in the ring");
            }
            Thread.onSpinWait();
        }
        message.position(message.limit());
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        ensureOpen();
        int expected = into.remaining();
        this.into = into;
        receivedType = 0;
        long deadline = 0;
        for (int spins = 1; in.read(copier, 1) == 0; spins++) {
            if (spins % SPINS_PER_CHECK == 0) {
                deadline = check(deadline, "waiting for the peer's message");
            }
            Thread.onSpinWait();
        }
        this.into = null;
        if (receivedType == END) {
            throw new EOFException("the peer ended the conversation");
        }
        if (receivedType != MESSAGE) {
            throw new IOException("a record of type " + receivedType + ", which this conversation never sends");
        }
        if (receivedLength != expected) {
            throw new IOException("a " + receivedLength + "-byte message where " + expected + " bytes were expected");
        }
    }

    /** The handler: copies a message of the expected length into {@link #into}, and notes what came. */
    private void copy(int type, MutableDirectBuffer buffer, int index, int length) {
        receivedType = type;
        receivedLength = length;
        if (type == MESSAGE && length == into.remaining()) {
            buffer.getBytes(index, into, into.position(), length);
            into.position(into.position() + length);
        }
    }

    /** Refuses a link whose rings were closed: Agrona's buffers would still reach the memory. */
    private void ensureOpen() {
        if (!inMemory.isOpen() || !outMemory.isOpen()) {
            throw new IllegalStateException("the link is closed");
        }
    }

    /** Fails if the peer is gone or the deadline passed; returns the deadline, fixed at the first check. */
    private long check(long deadline, String what) throws IOException {
        if (peerGone) {
            throw new EOFException("the peer exited while this side was " + what);
        }
        long now = System.nanoTime();
        if (deadline == 0) {
            return now + ChildConnection.PEER_DEADLINE.toNanos();
        }
        if (now - deadline > 0) {
            throw new IpcTimeoutException(what, ChildConnection.PEER_DEADLINE);
        }
        return deadline;
    }

    /** Tells the peer the conversation is over (for a second at most: it may be gone), then unmaps both rings. */
    @Override
    public void close() throws IOException {
        try {
            long giveUp = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (outMemory.isOpen() && !peerGone && !out.write(END, outgoing, 0, 0)
                    && System.nanoTime() - giveUp < 0) {
                Thread.onSpinWait();
            }
        } finally {
            outMemory.close();
            inMemory.close();
        }
    }
}
