package io.github.ipcatlas.mmap.access;

import java.lang.ref.Reference;
import java.nio.MappedByteBuffer;
import java.util.Objects;

import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.internal.MappedRegion;
import io.github.ipcatlas.mmap.internal.Regions;

/**
 * Raw addresses inside a {@link MappedFile}, for native calls on structures that live in the mapping (a
 * process-shared {@code pthread_mutex_t}, a {@code sem_t}, a futex word). An address outlives nothing, so it is
 * handed out only together with a lease that keeps the memory mapped until {@link #release}.
 *
 * <pre>{@code
 * long mutex = NativeAccess.acquire(map, offset, 40);   // IllegalStateException if the map is closed
 * try {
 *     result = libc.pthread_mutex_lock(mutex);
 * } finally {
 *     NativeAccess.release(map);
 * }
 * }</pre>
 *
 * <p>Thread-safe; allocates nothing.
 */
public final class NativeAccess {
    private NativeAccess() {
    }

    /**
     * Leases the mapping and returns the address of {@code size} bytes at {@code offset}.
     *
     * @throws IllegalStateException if {@code map} is closed
     * @throws IndexOutOfBoundsException if the bytes lie outside the mapping
     * @throws IllegalArgumentException if they straddle two 1 GiB chunks, or the map is not read-write and shared
     *                                  (native code writes the structures; a private copy would share nothing)
     */
    public static long acquire(MappedFile map, long offset, int size) {
        requireShared(map);
        if (offset < 0 || size < 0 || offset > map.length() - size) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + size + " bytes) is outside " + map);
        }
        int chunk = (int) (offset / MappedRegion.CHUNK_BYTES);
        int index = (int) (offset % MappedRegion.CHUNK_BYTES);
        MappedRegion region = Regions.of(map);
        if (index + size > region.buffers()[chunk].capacity()) {
            throw new IllegalArgumentException(size + " bytes at offset " + offset + " straddle two 1 GiB chunks");
        }
        if (!region.acquire()) {
            throw new IllegalStateException(map + ": the mapping is closed");
        }
        return region.address(chunk) + index;
    }

    /**
     * The buffer holding the first {@code length} bytes of {@code map}, for a structure that reads and writes them in
     * a hot loop without {@link MappedFile}'s per-access guard (a ring: one check per operation instead of one per
     * field). The memory stays mapped while the buffer is reachable, and the buffer itself refuses nothing after
     * {@code close()}: the caller checks {@link MappedFile#isOpen()} once per operation to keep the promise that
     * nothing is read after close.
     *
     * @throws IllegalArgumentException if the bytes do not lie in one chunk of the mapping
     */
    public static MappedByteBuffer firstBuffer(MappedFile map, long length) {
        MappedByteBuffer[] buffers = Regions.of(map).buffers();
        if (length < 0 || buffers.length == 0 || length > buffers[0].capacity()) {
            throw new IllegalArgumentException(length + " bytes do not fit in the first chunk of " + map);
        }
        return buffers[0];
    }

    /** Refuses a mapping that native structures cannot live in: anything but {@link MapMode#READ_WRITE}. */
    public static void requireShared(MappedFile map) {
        if (map.mode() != MapMode.READ_WRITE) {
            throw new IllegalArgumentException(map + " is mapped " + map.mode() + ": a structure other processes share "
                    + "(a mutex, a semaphore, a ring) needs a READ_WRITE mapping");
        }
    }

    /** Ends the lease taken by {@link #acquire}. Call exactly once per acquire, after the native call returned. */
    public static void release(MappedFile map) {
        Regions.of(map).release();
        Reference.reachabilityFence(map); // the mapping must stay reachable until the native call is over
    }
}
