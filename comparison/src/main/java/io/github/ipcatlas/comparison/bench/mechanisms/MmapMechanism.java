package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * Two processes mapping one file, one message slot each way, handed over with release/acquire counters and
 * <b>busy-waiting</b>: no system call at all once both sides have mapped the file. The file is deleted as soon as
 * both have it mapped (the pages stay until both unmap).
 *
 * <pre>
 * slot (one per direction)        offset
 *   long published                 0        incremented by the sender, release
 *   long closed                    8        set by the sender when it is done
 *   long consumed                  64       incremented by the receiver, release (own cache line)
 *   byte[size] payload             128
 * </pre>
 */
public final class MmapMechanism implements Mechanism {
    private static final int PUBLISHED = 0;
    private static final int CLOSED = 8;
    private static final int CONSUMED = 64;
    private static final int PAYLOAD = 128;
    /** Check the deadline once per this many spins, so waiting stays cheap. */
    private static final int SPINS_PER_CHECK = 1 << 12;

    @Override
    public String id() {
        return "mmap";
    }

    @Override
    public String scope() {
        return "process";
    }

    @Override
    public String description() {
        return "a shared file mapping, one slot each way; both sides SPIN on release/acquire counters";
    }

    static long slotBytes(int size) {
        return (PAYLOAD + size + 63L) & ~63L;
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Path directory = Files.createTempDirectory("ipc-atlas-bench-mmap-");
        Path file = directory.resolve("slots");
        long slot = slotBytes(mode.size());
        MappedFile map = MappedFile.create(file, 2 * slot, Growth.PREALLOCATE);
        ChildProcess peer = null;
        try {
            peer = ChildConnection.peer(this, mode, file.toString()).start();
            peer.awaitLine("ready", ChildConnection.PEER_DEADLINE);
            return new ChildConnection(peer, new SlotLink(map, 0, slot), () -> { });
        } catch (IOException | RuntimeException e) {
            if (peer != null) {
                peer.close();
            }
            map.close();
            throw e;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        MappedFile map = MappedFile.map(Path.of(args.get(0)), MapMode.READ_WRITE);
        long slot = map.length() / 2;
        return new SlotLink(map, slot, 0);
    }

    /** Sends through one slot, receives through the other. Not thread-safe: one thread per side. */
    private static final class SlotLink implements Link {
        private final MappedFile map;
        private final long out;
        private final long in;
        private long sent;
        private long received;

        SlotLink(MappedFile map, long out, long in) {
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
}
