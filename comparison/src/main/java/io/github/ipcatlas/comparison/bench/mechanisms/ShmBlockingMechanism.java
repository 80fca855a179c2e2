package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.shm.RingLayout;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.shm.ShmRing;

/**
 * Two shared-memory rings ({@link ShmRing}), request and reply, whose waiting sides <b>sleep</b> on process-shared
 * semaphores in the segments instead of spinning. A zero-length record ends the conversation. Both segments are
 * unlinked once both sides have them mapped.
 */
public final class ShmBlockingMechanism implements Mechanism {
    private static final long RING_BYTES = 1 << 20;

    @Override
    public String id() {
        return "shm-blocking";
    }

    @Override
    public String description() {
        return "two shared-memory rings; a side with nothing to do sleeps on a semaphore in the segment";
    }

    @Override
    public String cannotCarry(int size) {
        return size > RING_BYTES / 4 - RingLayout.RECORD_HEADER ? "records are limited to a quarter of the "
                + RING_BYTES + "-byte ring" : null;
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        String request = IpcNames.unique("bench-ring-req");
        String reply = IpcNames.unique("bench-ring-rep");
        SharedMemory out = SharedMemory.create(request, RingLayout.segmentBytes(RING_BYTES));
        SharedMemory in = null;
        try {
            in = SharedMemory.create(reply, RingLayout.segmentBytes(RING_BYTES));
            RingLink link = new RingLink(
                    ShmRing.initialize(in.memory(), RING_BYTES, ShmRing.WaitStrategy.BLOCK),
                    ShmRing.initialize(out.memory(), RING_BYTES, ShmRing.WaitStrategy.BLOCK), in, out);
            // the rings are initialised before the peer starts, because it attaches to them at once
            return ChildConnection.start(ChildConnection.peer(this, mode, request, reply), peer -> link, in);
        } catch (IOException | RuntimeException e) {
            out.close();
            if (in != null) {
                in.close();
            }
            throw e;
        } finally {
            SharedMemory.unlinkIfExists(request);
            SharedMemory.unlinkIfExists(reply);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        SharedMemory in = SharedMemory.open(args.get(0), false);
        SharedMemory out = SharedMemory.open(args.get(1), false);
        return new RingLink(ShmRing.attach(in.memory(), ShmRing.WaitStrategy.BLOCK),
                ShmRing.attach(out.memory(), ShmRing.WaitStrategy.BLOCK), in, out);
    }

    /** Receives from one ring, sends through the other. */
    private static final class RingLink implements Link {
        private static final ByteBuffer END = ByteBuffer.allocateDirect(0);

        private final ShmRing in;
        private final ShmRing out;
        private final SharedMemory inSegment;
        private final SharedMemory outSegment;

        RingLink(ShmRing in, ShmRing out, SharedMemory inSegment, SharedMemory outSegment) {
            this.in = in;
            this.out = out;
            this.inSegment = inSegment;
            this.outSegment = outSegment;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            if (!out.send(message, ChildConnection.PEER_DEADLINE)) {
                throw new IpcTimeoutException("waiting for room in the ring", ChildConnection.PEER_DEADLINE);
            }
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            int length = in.receive(into, ChildConnection.PEER_DEADLINE);
            if (length < 0) {
                throw new IpcTimeoutException("waiting for the peer's message", ChildConnection.PEER_DEADLINE);
            }
            if (length == 0) {
                throw new EOFException("the peer ended the conversation");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (outSegment.memory().isOpen()) {
                    out.send(END.duplicate(), java.time.Duration.ofSeconds(1));
                }
            } finally {
                outSegment.close();
                inSegment.close();
            }
        }
    }
}
