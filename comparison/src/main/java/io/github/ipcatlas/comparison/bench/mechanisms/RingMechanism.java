package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.RingLayout;
import io.github.ipcatlas.shm.ShmRing;

/**
 * Two processes exchanging records through two {@link ShmRing}s, request and reply, in memory a subclass provides
 * (shared-memory segments, mapped files). Round trips use a small ring, so the same cache lines come back each time;
 * streaming a large one, so the producer runs ahead. The names are removed as soon as both sides have mapped them.
 */
abstract class RingMechanism implements SharedMemoryMechanism {
    private static final long SMALLEST_RING = 4096;
    private static final long STREAMING_RING = 64 << 10;

    /** How both sides wait. */
    abstract ShmRing.WaitStrategy strategy();

    /** A fresh name for memory of this mechanism, unique to this run. */
    abstract String newName(String role) throws IOException;

    /** Creates memory of {@code bytes} bytes under {@code name}. */
    abstract MappedFile create(String name, long bytes) throws IOException;

    /** Maps the memory another process created under {@code name}. */
    abstract MappedFile open(String name) throws IOException;

    /** Removes the name (both sides have the memory mapped, or the start failed). */
    abstract void remove(String name) throws IOException;

    /**
     * Ring capacity for {@code mode}, a power of two: room for eight messages when echoing (a record may take a quarter
     * of the ring), for sixteen and at least 64 KiB (within a core's L2 cache) when streaming.
     */
    static long capacity(PeerMode mode) {
        long record = RingLayout.recordBytes(mode.size());
        long wanted = mode.echo() ? Math.max(SMALLEST_RING, 8 * record) : Math.max(STREAMING_RING, 16 * record);
        return Math.min(RingLayout.MAX_CAPACITY, Long.highestOneBit(wanted - 1) << 1);
    }

    /** Rings of at most {@link RingLayout#MAX_CAPACITY} bytes, room for eight records at least. */
    @Override
    public String cannotCarry(int size) {
        return RingLayout.recordBytes(size) > RingLayout.MAX_CAPACITY / 8 ? "a ring holds at most "
                + RingLayout.MAX_CAPACITY + " bytes, and the benchmark wants room for 8 records of " + size + " bytes"
                : null;
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        long capacity = capacity(mode);
        String request = newName("req");
        String reply = newName("rep");
        MappedFile out = null;
        MappedFile in = null;
        try {
            out = create(request, RingLayout.segmentBytes(capacity));
            in = create(reply, RingLayout.segmentBytes(capacity));
            ShmRing.initialize(out, capacity);
            ShmRing.initialize(in, capacity);
            RingLink link = new RingLink(ShmRing.consumer(in, strategy()), ShmRing.producer(out, strategy()), in, out);
            // the rings are laid out before the peer starts, because it attaches to them at once
            return ChildConnection.start(ChildConnection.peer(this, mode, request, reply), peer -> link, link);
        } catch (IOException | RuntimeException e) {
            SharedMemoryMechanism.closeMapped(out, in);
            throw e;
        } finally {
            remove(request);
            remove(reply);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        MappedFile in = open(args.get(0));
        MappedFile out = open(args.get(1));
        return new RingLink(ShmRing.consumer(in, strategy()), ShmRing.producer(out, strategy()), in, out);
    }
}
