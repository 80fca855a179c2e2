package io.github.ipcatlas.sysv;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import com.kenai.jffi.MemoryIO;

/**
 * A System V segment attached into this process ({@code shmat(2)}), read and written through {@link ByteBuffer}
 * views of its memory.
 *
 * <p><b>Detaching.</b> {@code shmdt(2)} unmaps the memory, and a view used after that would crash the JVM. So the
 * segment is detached only when this attachment is closed <em>and</em> every view taken from it (with their
 * slices and duplicates) has become unreachable, as the JDK unmaps a {@code MappedByteBuffer}: after
 * {@link #close()} the views already handed out keep working, no new ones can be taken, and the detach follows
 * the garbage collector. The segment's {@code shm_nattch} counts this attachment until then.
 *
 * <p>Views are big-endian, as every new {@code ByteBuffer} is; set {@link ByteBuffer#order} to share numbers with
 * C. A read-only attachment gives read-only views. Nothing synchronises processes that share a segment: use
 * the views' atomic {@code VarHandle}s or a semaphore set ({@link SysvSemaphoreSet}).
 *
 * <p>Thread-safe.
 */
public final class SharedMemoryAttachment implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final String label;
    private final long size;
    private final boolean readOnly;
    private final Detacher detacher;
    private final Cleaner.Cleanable self;
    private volatile boolean closed;

    SharedMemoryAttachment(String label, long address, long size, boolean readOnly) {
        this.label = label;
        this.size = size;
        this.readOnly = readOnly;
        this.detacher = new Detacher(address);
        this.self = CLEANER.register(this, detacher::release);
    }

    /** The attached size in bytes (the segment's size). */
    public long size() {
        return size;
    }

    /** Whether the segment was attached read-only. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Whether no {@link #close()} happened yet. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * A view of the whole segment, position 0, limit its size.
     *
     * @throws IllegalStateException if the attachment is closed, or the segment is larger than a buffer can address
     *                               (2 GiB − 1 bytes: take views with {@link #buffer(long, int)})
     */
    public ByteBuffer buffer() {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException(label + " has " + size + " bytes, more than one ByteBuffer addresses; "
                    + "take views of up to " + Integer.MAX_VALUE + " bytes with buffer(offset, length)");
        }
        return buffer(0, (int) size);
    }

    /**
     * A view of {@code length} bytes from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the segment
     * @throws IllegalStateException     if the attachment is closed
     */
    public ByteBuffer buffer(long offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("view of " + length + " bytes at offset " + offset + " is outside "
                    + label + "'s " + size + " bytes");
        }
        if (closed || !detacher.retain()) {
            throw new IllegalStateException(label + ": this attachment is closed");
        }
        ByteBuffer root;
        try {
            root = MEMORY.newDirectByteBuffer(detacher.address + offset, length);
        } catch (RuntimeException | Error e) {
            detacher.release();
            throw e;
        }
        // the root is what slices and duplicates keep reachable; the detach waits until it is collected
        CLEANER.register(root, detacher::release);
        return readOnly ? root.asReadOnlyBuffer() : root;
    }

    /**
     * Takes no more views; the segment is detached once the views already taken are unreachable. Idempotent and
     * thread-safe.
     */
    @Override
    public void close() {
        closed = true;
        self.clean();
    }

    @Override
    public String toString() {
        return label + (readOnly ? " attached read-only" : " attached") + (closed ? " (closed)" : "");
    }

    /** Counts what holds the mapping (the open attachment and each root view) and detaches when none does. */
    private static final class Detacher {
        final long address;
        private final AtomicInteger holders = new AtomicInteger(1);

        Detacher(long address) {
            this.address = address;
        }

        /** Adds a holder, unless none is left (then the memory is detached or about to be). */
        boolean retain() {
            for (int n = holders.get(); n > 0; n = holders.get()) {
                if (holders.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                SysvBinding.SYSV.shmdt(address);
            }
        }
    }
}
