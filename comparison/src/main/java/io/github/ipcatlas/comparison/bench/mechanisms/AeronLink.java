package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * A {@link Link} over one Aeron {@link Publication} out and one {@link Subscription} in, used as Aeron's users use
 * them: {@code offer} from a buffer, retried while the publication is back-pressured; {@code controlledPoll} through a
 * {@link ControlledFragmentAssembler}, which joins the fragments of a message longer than the MTU. Between two
 * tries each side waits as its {@link IdleStrategy} says. An empty message whose header carries {@link #END} in its
 * reserved value ends the conversation; a peer that exits without one is noticed by {@link #peerGone()}. Allocates nothing per message once the assembler has grown to the message size.
 * Not thread-safe: one thread per side.
 */
final class AeronLink implements Link {
    /** The reserved value of the message that ends the conversation; messages carry 0. */
    static final long END = 0x454e44L;
    /** Spins between two looks at the clock and at the peer. */
    private static final int SPINS_PER_CHECK = 256;
    /** Fragments one poll may read; the handler stops it after one whole message, which may take several polls. */
    private static final int FRAGMENT_LIMIT = 64;
    private static final ReservedValueSupplier ENDING = (termBuffer, termOffset, frameLength) -> END;

    private final Publication out;
    private final Subscription in;
    private final AutoCloseable resources;
    private final IdleStrategy idle;
    private final AeronFailure failure;
    private final UnsafeBuffer outgoing = new UnsafeBuffer(0, 0);
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::copy);
    private volatile boolean peerGone;
    private volatile boolean closed;
    private ByteBuffer into;
    private boolean delivered;
    private boolean ended;
    private int receivedLength;

    /**
     * @param failure   where the Aeron client reports its errors: a link waiting fails with the first
     * @param resources closed, after {@code out} and {@code in}, when the link is: the Aeron client (a media driver is
     *                  closed only once the peer is gone: a peer whose client outlives its driver exits)
     */
    AeronLink(Publication out, Subscription in, IdleStrategy idle, AeronFailure failure, AutoCloseable resources) {
        this.out = out;
        this.in = in;
        this.idle = idle;
        this.failure = failure;
        this.resources = resources;
    }

    /** Called once the peer process has exited: a waiting side then fails instead of spinning to its deadline. */
    void peerGone() {
        peerGone = true;
    }

    /** Waits until the peer's subscription sees {@code out} and {@code in} has the peer's publication. */
    void awaitConnected() throws IOException {
        long deadline = 0;
        for (int spins = 1; !out.isConnected() || !in.isConnected(); spins++) {
            if (spins % SPINS_PER_CHECK == 0) {
                deadline = check(deadline, "waiting for the peer's publication and subscription", 0);
                Thread.yield(); // the driver thread links the two: leave it the CPU
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        ensureOpen();
        int length = message.remaining();
        outgoing.wrap(message, message.position(), length);
        long deadline = 0;
        idle.reset();
        for (int spins = 1; ; spins++) {
            long result = out.offer(outgoing, 0, length);
            if (result > 0) {
                break;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IOException("the publication cannot take messages any more: " + Publication.errorString(result));
            }
            // NOT_CONNECTED, BACK_PRESSURED, ADMIN_ACTION: the peer or the driver has yet to catch up
            if (spins % SPINS_PER_CHECK == 0) {
                deadline = check(deadline, "waiting for room in the publication", result);
            }
            idle.idle();
        }
        message.position(message.limit());
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        ensureOpen();
        int expected = into.remaining();
        this.into = into;
        delivered = false;
        long deadline = 0;
        idle.reset();
        for (int spins = 1; !delivered; spins++) {
            if (in.controlledPoll(assembler, FRAGMENT_LIMIT) == 0) {
                if (spins % SPINS_PER_CHECK == 0) {
                    deadline = check(deadline, "waiting for the peer's message", 0);
                }
                idle.idle();
            }
        }
        this.into = null;
        if (ended) {
            throw new EOFException("the peer ended the conversation");
        }
        if (receivedLength != expected) {
            throw new IOException("a " + receivedLength + "-byte message where " + expected + " bytes were expected");
        }
    }

    /**
     * The assembler's handler: copies a whole message of the expected length into {@link #into}, then stops the poll,
     * so that the next message stays in the log for the next receive.
     */
    private Action copy(DirectBuffer buffer, int offset, int length, Header header) {
        delivered = true;
        ended = header.reservedValue() == END && length == 0;
        receivedLength = length;
        if (!ended && length == into.remaining()) {
            buffer.getBytes(offset, into, into.position(), length);
            into.position(into.position() + length);
        }
        return Action.BREAK;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the link is closed");
        }
    }

    /**
     * Fails if the peer is gone, the Aeron client failed or the deadline passed; returns the deadline, fixed at the
     * first check. {@code offerResult}, if negative, is the last {@code offer}'s answer, named in the message (built
     * only when failing: this runs on the hot path while back-pressured).
     */
    private long check(long deadline, String what, long offerResult) throws IOException {
        if (peerGone) {
            throw new EOFException("the peer exited while this side was " + describe(what, offerResult));
        }
        Throwable failed = failure.first();
        if (failed != null) {
            throw new IOException("Aeron's client failed while this side was " + describe(what, offerResult) + ": "
                    + failed, failed);
        }
        long now = System.nanoTime();
        if (deadline == 0) {
            return now + ChildConnection.PEER_DEADLINE.toNanos();
        }
        if (now - deadline > 0) {
            throw new IpcTimeoutException(describe(what, offerResult), ChildConnection.PEER_DEADLINE);
        }
        return deadline;
    }

    private static String describe(String what, long offerResult) {
        return offerResult < 0 ? what + " (" + Publication.errorString(offerResult) + ")" : what;
    }

    /** Tells the peer the conversation is over (for a second at most: it may be gone), then closes Aeron. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long giveUp = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (!peerGone && out.isConnected() && out.offer(outgoing, 0, 0, ENDING) < 0
                    && System.nanoTime() - giveUp < 0) {
                Thread.onSpinWait();
            }
        } finally {
            try {
                out.close();
                in.close();
            } finally {
                try {
                    resources.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
