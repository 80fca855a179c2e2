package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * Two processes sharing memory (a mapped file, or a shared-memory segment), one message slot each way, handed over
 * with release/acquire counters and <b>busy-waiting</b>, with a deadline so a dead peer cannot hang the run. Sends
 * through one slot, receives through the other. Not thread-safe: one thread per side.
 *
 * <pre>
 * slot (one per direction)        offset
 *   long published                 0        incremented by the sender, release
 *   long closed                    8        set by the sender when it is done
 *   long consumed                  64       incremented by the receiver, release (own cache line)
 *   byte[size] payload             128
 * </pre>
 */
final class SpinSlotLink implements Link {
    private static final int PUBLISHED = 0;
    private static final int CLOSED = 8;
    private static final int CONSUMED = 64;
    private static final int PAYLOAD = 128;
    /** Check the deadline once per this many spins, so waiting stays cheap. */
    private static final int SPINS_PER_CHECK = 1 << 12;

    /** Bytes one slot for {@code size}-byte messages occupies (whole cache lines). */
    static long slotBytes(int size) {
        return (PAYLOAD + size + 63L) & ~63L;
    }

    private final MappedFile map;
    private final long out;
    private final long in;
    private long sent;
    private long received;

    SpinSlotLink(MappedFile map, long out, long in) {
        this.map = map;
        this.out = out;
        this.in = in;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        long deadline = 0;
        for (int spins = 0; map.getLongAcquire(out + CONSUMED) != sent; spins++) {
            Thread.onSpinWait(); // the peer has not taken the previous message yet
            if ((spins & (SPINS_PER_CHECK - 1)) == 0) {
                deadline = checkDeadline(deadline, "take the previous message");
            }
        }
        map.put(out + PAYLOAD, message);
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
        map.get(in + PAYLOAD, into);
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
