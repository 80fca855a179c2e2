package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * Two processes sharing memory (a mapped file, or a shared-memory segment), a small ring of message slots each way,
 * handed over with release/acquire counters and <b>busy-waiting</b>, with a deadline so a dead peer cannot hang the
 * run. Sends through one direction, receives through the other. Not thread-safe: one thread per side.
 *
 * <p>Round trips use one slot (one message in flight, and the same cache lines each time); a one-way stream uses a
 * ring of up to {@value #SLOTS} (fewer for messages above 512 KiB, so a direction stays within 4 MiB), so the sender
 * copies message n+1 in while the receiver copies message n out — with one slot the two copies would take turns.
 *
 * <pre>
 * direction                        offset
 *   long published                 0        messages published, incremented by the sender, release
 *   long closed                    8        set by the sender when it is done
 *   long consumed                  64       messages taken, incremented by the receiver, release (own cache line)
 *   slot[SLOTS] payloads           128      message k in slot k % SLOTS, each slot the size rounded to 64 bytes
 * </pre>
 */
final class SpinSlotLink implements Link {
    private static final int PUBLISHED = 0;
    private static final int CLOSED = 8;
    private static final int CONSUMED = 64;
    private static final int PAYLOAD = 128;
    /** Slots per direction, at most; fewer for large messages, so a direction stays within {@link #RING_BYTES}. */
    static final int SLOTS = 8;
    private static final long RING_BYTES = 4 << 20;
    /** Check the deadline once per this many spins, so waiting stays cheap. */
    private static final int SPINS_PER_CHECK = 1 << 12;

    /** Slots per direction for {@code mode}: one for round trips, a ring for streaming. */
    static int slots(PeerMode mode) {
        return mode.echo() ? 1 : (int) Math.max(1, Math.min(SLOTS, RING_BYTES / stride(mode.size())));
    }

    /** Bytes one direction of {@code slots} slots for {@code size}-byte messages occupies (whole cache lines). */
    static long directionBytes(int size, int slots) {
        return PAYLOAD + slots * stride(size);
    }

    private static long stride(long size) {
        return (size + 63L) & ~63L;
    }

    private final MappedFile map;
    private final long out;
    private final long in;
    private long sent;
    private long received;

    private final int slots;

    SpinSlotLink(MappedFile map, long out, long in, int slots) {
        this.map = map;
        this.out = out;
        this.in = in;
        this.slots = slots;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        long deadline = 0;
        int size = message.remaining();
        for (int spins = 0; sent - map.getLongAcquire(out + CONSUMED) >= slots; spins++) {
            Thread.onSpinWait(); // every slot holds a message the peer has not taken yet
            if ((spins & (SPINS_PER_CHECK - 1)) == 0) {
                deadline = checkDeadline(deadline, "take an earlier message");
            }
        }
        map.put(out + PAYLOAD + (sent % slots) * stride(size), message);
        map.setLongRelease(out + PUBLISHED, ++sent); // publishes the payload written above
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        long deadline = 0;
        for (int spins = 0; map.getLongAcquire(in + PUBLISHED) == received; spins++) {
            if (map.getLongAcquire(in + CLOSED) != 0 && map.getLongAcquire(in + PUBLISHED) == received) {
                throw new EOFException("the peer closed its slot");
            }
            Thread.onSpinWait();
            if ((spins & (SPINS_PER_CHECK - 1)) == 0) {
                deadline = checkDeadline(deadline, "send a message");
            }
        }
        int size = into.remaining();
        map.get(in + PAYLOAD + (received % slots) * stride(size), into);
        map.setLongRelease(in + CONSUMED, ++received);
    }

    /** A spinning wait must still end: give up once the peer deadline has passed. */
    private static long checkDeadline(long deadline, String what) throws IOException {
        long now = System.nanoTime();
        if (deadline == 0) {
            return now + ChildConnection.PEER_DEADLINE.toNanos();
        }
        if (now - deadline > 0) {
            throw new IpcTimeoutException("waiting for the peer to " + what, ChildConnection.PEER_DEADLINE);
        }
        return deadline;
    }

    @Override
    public void close() {
        if (map.isOpen()) {
            map.setLongRelease(out + CLOSED, 1);
            map.close();
        }
    }
}
