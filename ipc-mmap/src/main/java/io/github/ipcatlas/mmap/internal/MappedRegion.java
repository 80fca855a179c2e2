package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.core.linux.Leases;

/**
 * The memory of one mapping, as a row of buffers of at most {@link #CHUNK_BYTES}, and its lifetime.
 *
 * <p>The memory is unmapped only by the garbage collector, once nothing reaches the buffers ({@link Mapper} says
 * why), so nothing here ever unmaps. Two kinds of use keep it mapped:
 * <ul>
 *   <li><b>Java accesses</b> through the buffers: an access in flight holds its buffer. Costs the accesses
 *       nothing.</li>
 *   <li><b>Native calls</b> given a raw address (a {@code pthread_mutex_t}, a {@code sem_t} in the mapping), which no
 *       collector sees. Each such call holds a lease ({@link #acquire()} … {@link #release()}) and keeps its
 *       {@code MappedFile} reachable until the release; {@link #close()} refuses new leases and does not wait for
 *       running ones — a thread blocked for an hour in {@code pthread_mutex_lock} keeps its mutex mapped.</li>
 * </ul>
 *
 * <p>Thread-safe and lock-free. Not API.
 */
public final class MappedRegion {
    /** Size of each buffer but the last: 1 GiB. */
    public static final long CHUNK_BYTES = 1L << 30;
    private static final int CHUNK_SHIFT = 30;

    private final MappedByteBuffer[] buffers;
    private final long[] addresses;
    private final Leases leases = new Leases();

    private MappedRegion(MappedByteBuffer[] buffers) {
        this.buffers = buffers;
        this.addresses = new long[buffers.length];
    }

    /** Maps {@code length} bytes of {@code channel} from {@code position}, in chunks. */
    public static MappedRegion map(FileChannel channel, FileChannel.MapMode mode, long position, long length)
            throws IOException {
        int count = (int) ((length + CHUNK_BYTES - 1) >>> CHUNK_SHIFT);
        MappedByteBuffer[] buffers = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) { // a failure leaves the chunks mapped so far to the collector
            long offset = (long) i << CHUNK_SHIFT;
            buffers[i] = Mapper.map(channel, mode, position + offset, Math.min(CHUNK_BYTES, length - offset));
            buffers[i].order(ByteOrder.nativeOrder());
        }
        return new MappedRegion(buffers);
    }

    /** Bytes mapped: the buffers' capacities together. */
    public long length() {
        long length = 0;
        for (MappedByteBuffer buffer : buffers) {
            length += buffer.capacity();
        }
        return length;
    }

    /** The buffers, in order; buffer {@code i} starts at offset {@code i × CHUNK_BYTES}. */
    public MappedByteBuffer[] buffers() {
        return buffers;
    }

    /** The native address of buffer {@code chunk}'s first byte; use it only under a lease. */
    public long address(int chunk) {
        long address = addresses[chunk];
        if (address == 0) { // looked up on first use (a JNI call), so plain Java users never load jffi's library
            address = MemoryIO.getInstance().getDirectBufferAddress(buffers[chunk]);
            addresses[chunk] = address; // a benign race: every thread computes the same value
        }
        return address;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return leases.isOpen();
    }

    /**
     * Starts a native call on the memory: it stays mapped until {@link #release()}.
     *
     * @return false if the region is closed (no lease is taken)
     */
    public boolean acquire() {
        return leases.tryAcquire();
    }

    /**
     * Ends a native call begun with {@link #acquire()}.
     *
     * @throws IllegalStateException if no lease is held (a release without its acquire, or a second one)
     */
    public void release() {
        leases.release(); // nothing to free: the collector unmaps once the buffers are unreachable
    }

    /** Closes: no new lease starts. Idempotent and thread-safe. */
    public void close() {
        leases.close();
    }
}
