package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.NativeAccess;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * A peer library, not ours: Agrona's {@link OneToOneRingBuffer} — the ring Aeron's own processes talk through —
 * between two JVMs, one each way, in POSIX shared-memory segments, both sides <b>spinning</b>. It sits next to
 * {@code shm} (the same shape with {@code ipc-shm}'s ring) so that a reader choosing between the two sees both on the
 * same machine in the same run. The segments are made and unlinked as for {@code shm}; Agrona sees only the mapped
 * memory, wrapped in an {@link UnsafeBuffer}, as its users wrap a mapped file.
 *
 * <p>Agrona 2 reads and writes memory through {@code jdk.internal.misc.Unsafe}, which JDK 17 opens only on request:
 * the command's jar asks in its manifest ({@code Add-Opens}), child JVMs on their command line, and a JVM that did
 * not ask is told so by {@link #cannotCarry} instead of failing.
 */
public final class PeerAgronaRingMechanism implements SharedMemoryMechanism {
    /** What a JVM needs to run Agrona 2. */
    public static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final int SMALLEST_RING = 4096;
    private static final int STREAMING_RING = 64 << 10;
    private static final int LARGEST_RING = 1 << 30;

    @Override
    public String id() {
        return "peer-agrona-ring";
    }

    @Override
    public String description() {
        return "Agrona's OneToOneRingBuffer (a peer library) in POSIX shared-memory segments, one each way; "
                + "both sides SPIN";
    }

    /** Agrona's rings take records of at most an eighth of their capacity; and this JVM must let Agrona in. */
    @Override
    public String cannotCarry(int size) {
        String closed = AgronaAccess.problem();
        if (closed != null) {
            return closed;
        }
        return recordBytes(size) > LARGEST_RING / 8 ? "an Agrona ring here holds at most " + LARGEST_RING
                + " bytes, and takes records of at most an eighth of that" : null;
    }

    /** Bytes a record of {@code size} takes in the ring: Agrona's header, aligned. */
    static long recordBytes(int size) {
        long bytes = (long) size + RecordDescriptor.HEADER_LENGTH;
        return (bytes + RecordDescriptor.ALIGNMENT - 1) & -RecordDescriptor.ALIGNMENT;
    }

    /** The ring's capacity, as {@code shm}'s: room for eight records when echoing, sixteen and 64 KiB streaming. */
    static int capacity(PeerMode mode) {
        long record = recordBytes(mode.size());
        long wanted = mode.echo() ? Math.max(SMALLEST_RING, 8 * record) : Math.max(STREAMING_RING, 16 * record);
        return (int) Math.min(LARGEST_RING, Long.highestOneBit(wanted - 1) << 1);
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        long bytes = capacity(mode) + (long) RingBufferDescriptor.TRAILER_LENGTH;
        String request = IpcNames.unique("bench-" + id() + "-req");
        String reply = IpcNames.unique("bench-" + id() + "-rep");
        MappedFile out = null;
        MappedFile in = null;
        try {
            out = SharedMemory.create(request, bytes).memory(); // new segments are zeroes: empty rings
            in = SharedMemory.create(reply, bytes).memory();
            AgronaRingLink link = new AgronaRingLink(ring(in), ring(out), in, out);
            String self = String.valueOf(ProcessHandle.current().pid());
            return ChildConnection.start(ChildConnection.peer(this, mode, request, reply, self).jvmOptions(ADD_OPENS),
                    peer -> {
                        PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone);
                        return link;
                    }, link);
        } catch (IOException | RuntimeException e) {
            SharedMemoryMechanism.closeMapped(out, in);
            throw e;
        } finally {
            SharedMemory.unlinkIfExists(request);
            SharedMemory.unlinkIfExists(reply);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(2))); // a spinning peer must not outlive it
        MappedFile in = SharedMemory.open(args.get(0), false).memory();
        MappedFile out = SharedMemory.open(args.get(1), false).memory();
        return new AgronaRingLink(ring(in), ring(out), in, out);
    }

    /** Agrona's ring over the whole of {@code memory}. */
    private static OneToOneRingBuffer ring(MappedFile memory) {
        return new OneToOneRingBuffer(new UnsafeBuffer(NativeAccess.firstBuffer(memory, memory.length())));
    }
}
