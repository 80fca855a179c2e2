package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.core.linux.Leases;

/**
 * The memory of one mapping, as a row of buffers of at most {@link #CHUNK_BYTES}, and its lifetime: when the memory
 * may be unmapped without any thread still touching it.
 *
 * <p>Two kinds of use keep the memory mapped:
 * <ul>
 *   <li><b>Java accesses</b> through the buffers. On JDK 22+ the arena's close waits for them (a handshake) and makes
 *       later ones throw {@link IllegalStateException}; on JDK 17–21 the buffers are unmapped only by the garbage
 *       collector, once nothing can reach them — an access in flight holds its buffer. Neither costs the access
 *       anything.</li>
 *   <li><b>Native calls</b> given a raw address (a {@code pthread_mutex_t}, a {@code sem_t} in the mapping), which no
 *       JVM mechanism sees. Each such call holds a lease ({@link #acquire()} … {@link #release()}); {@link #close()}
 *       with leases outstanding leaves the unmapping to the last {@code release()} — so a thread blocked for an hour in
 *       {@code pthread_mutex_lock} keeps its mutex mapped, and {@code close()} does not wait for it.</li>
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
    private final Runnable[] unmappers;
    private final Leases leases = new Leases();

    private MappedRegion(MappedByteBuffer[] buffers, Runnable[] unmappers) {
        this.buffers = buffers;
        this.unmappers = unmappers;
        this.addresses = new long[buffers.length];
    }

    /** Maps {@code length} bytes of {@code channel} from {@code position}, in chunks. */
    public static MappedRegion map(FileChannel channel, FileChannel.MapMode mode, long position, long length)
            throws IOException {
        int count = (int) ((length + CHUNK_BYTES - 1) >>> CHUNK_SHIFT);
        MappedByteBuffer[] buffers = new MappedByteBuffer[count];
        Runnable[] unmappers = new Runnable[count];
        try {
            for (int i = 0; i < count; i++) {
                long offset = (long) i << CHUNK_SHIFT;
                Mapper.Chunk chunk = Mapper.map(channel, mode, position + offset, Math.min(CHUNK_BYTES, length - offset));
                buffers[i] = chunk.buffer();
                buffers[i].order(ByteOrder.nativeOrder());
                unmappers[i] = chunk.unmapper();
            }
        } catch (IOException | RuntimeException e) {
            new MappedRegion(buffers, unmappers).unmap();
            throw e;
        }
        return new MappedRegion(buffers, unmappers);
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

    /** Ends a native call begun with {@link #acquire()}; the last one after {@code close()} unmaps. */
    public void release() {
        if (leases.release()) {
            unmap();
        }
    }

    /**
     * Closes: no new lease starts; the memory is unmapped now, or by the last lease's release, or (JDK 17–21) by the
     * garbage collector. Idempotent and thread-safe.
     */
    public void close() {
        if (leases.close()) {
            unmap();
        }
    }

    /** Called once: {@link Leases} lets exactly one of close() and the last release() through. */
    private void unmap() {
        for (Runnable unmapper : unmappers) {
            if (unmapper != null) {
                unmapper.run();
            }
        }
    }
}
