package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.SysvBinding.SYSV;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_MODE;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_ATIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_CPID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_CTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_DEST;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_DTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_LOCKED;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_LPID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_NATTCH;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_RDONLY;
import static io.github.ipcatlas.sysv.internal.SysvLayout.SHM_SEGSZ;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;

import io.github.ipcatlas.core.linux.Native;

/**
 * A System V shared-memory segment ({@code shmget(2)}, {@code shmat(2)}, {@code shmdt(2)}, {@code shmctl(2)}):
 * memory in the kernel that processes attach into their address space by key or id. Its size is fixed at creation
 * (nothing can shrink it under an attached process, unlike a POSIX segment a peer may truncate), and it outlives
 * every process until {@link #remove() removed} — and then until the last process detaches.
 *
 * <p>{@link #attach()} maps it and returns a {@link SharedMemoryAttachment}, whose {@link ByteBuffer} views read and
 * write it directly.
 *
 * <p>Thread-safe.
 */
public final class SysvSharedMemory extends SysvHandle {
    private static final String KIND = "shared-memory segment";

    private final long size;

    private SysvSharedMemory(SysvKey key, int id, long size) {
        super(KIND, key, id);
        this.size = size;
    }

    /** Creates a segment of {@code size} zeroed bytes with mode 0600; fails if one with {@code key} exists. */
    public static SysvSharedMemory create(SysvKey key, long size) throws IOException {
        return create(key, size, DEFAULT_MODE);
    }

    /**
     * Creates a segment of {@code size} zeroed bytes with permission bits {@code mode} ({@code IPC_CREAT | IPC_EXCL}).
     *
     * @throws java.nio.file.FileAlreadyExistsException if a segment with {@code key} exists
     * @throws IllegalArgumentException                  if {@code size} is not positive or {@code mode} is outside
     *                                                   0..0777
     */
    public static SysvSharedMemory create(SysvKey key, long size, int mode) throws IOException {
        return get(key, checkSize(size), Disposition.CREATE, mode);
    }

    /**
     * Opens the segment that has {@code key}, whatever its size.
     *
     * @throws NoSuchFileException      if there is none
     * @throws IllegalArgumentException if {@code key} is {@link SysvKey#PRIVATE}
     */
    public static SysvSharedMemory open(SysvKey key) throws IOException {
        return get(key, 0, Disposition.OPEN, 0);
    }

    /**
     * Opens the segment that has {@code key}, creating it with {@code size} and {@code mode} if there is none. An
     * existing segment must be at least {@code size} bytes ({@code EINVAL} otherwise).
     */
    public static SysvSharedMemory openOrCreate(SysvKey key, long size, int mode) throws IOException {
        return get(key, checkSize(size), Disposition.OPEN_OR_CREATE, mode);
    }

    /**
     * Opens a segment by its id, as {@code ipcs -m} prints it or as its creator passed it.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static SysvSharedMemory ofId(int id) throws IOException {
        if (id < 0) {
            throw new IllegalArgumentException("shared-memory segment id " + id + " is negative");
        }
        ByteBuffer ds = statById(id, KIND + " id " + id);
        return new SysvSharedMemory(keyOf(ds), id, ds.getLong(SHM_SEGSZ));
    }

    /**
     * Removes the segment with {@code key} if there is one (it goes when the last process detaches).
     *
     * @return whether a segment was removed
     */
    public static boolean removeIfExists(SysvKey key) throws IOException {
        try (SysvSharedMemory segment = open(key)) {
            segment.remove();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static SysvSharedMemory get(SysvKey key, long size, Disposition disposition, int mode) throws IOException {
        int id = get("shmget", KIND, key, disposition, mode, (k, flags) -> SYSV.shmget(k, size, flags),
                "the namespace's segments (kernel.shmmni) or pages (kernel.shmall) are used up; remove some (ipcrm) or raise the limit",
                "size " + size + " is outside 1..kernel.shmmax, or larger than the existing segment's");
        try {
            return new SysvSharedMemory(key, id, statById(id, KIND + " " + key).getLong(SHM_SEGSZ));
        } catch (IOException e) {
            throw new IOException("shmget(" + KIND + " " + key + ") gave id " + id
                    + ", which was gone before it could be inspected", e);
        }
    }

    private static ByteBuffer statById(int id, String label) throws IOException {
        return statById("shmctl", SYSV::shmctl, id, KIND, label);
    }

    private static long checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("segment size " + size + " bytes is not positive");
        }
        return size;
    }

    /**
     * The segment's size in bytes when this handle found it. An attachment takes its size from the segment it
     * attached, which is the same unless the id was removed and reused meanwhile.
     */
    public long size() {
        return size;
    }

    /**
     * Attaches the segment for reading and writing ({@code shmat(2)}).
     *
     * @throws java.nio.file.AccessDeniedException if the mode does not let this user write it
     */
    public SharedMemoryAttachment attach() throws IOException {
        return attach(false);
    }

    /** Attaches the segment for reading only ({@code SHM_RDONLY}); its views are read-only buffers. */
    public SharedMemoryAttachment attachReadOnly() throws IOException {
        return attach(true);
    }

    private SharedMemoryAttachment attach(boolean readOnly) throws IOException {
        ensureOpen();
        long address = SYSV.shmat(id(), 0, readOnly ? SHM_RDONLY : 0);
        if (address == -1) {
            throw failure("shmat", Native.errno());
        }
        // the size of what is attached now, not what this handle saw: an id removed and reused by another segment
        // would otherwise give views larger than the mapping (while attached, the id cannot change hands)
        long attached;
        try {
            attached = statById(id(), label()).getLong(SHM_SEGSZ);
        } catch (IOException | RuntimeException e) {
            SYSV.shmdt(address);
            throw e;
        }
        return new SharedMemoryAttachment(label(), address, attached, readOnly);
    }

    /** The segment's state ({@code IPC_STAT}). */
    public SharedMemoryStatus status() throws IOException {
        ByteBuffer ds = stat();
        int mode = ds.getShort(PERM_MODE);
        return new SharedMemoryStatus(keyOf(ds), permissionsOf(ds), ds.getLong(SHM_SEGSZ), ds.getLong(SHM_NATTCH),
                ds.getInt(SHM_CPID), ds.getInt(SHM_LPID), (mode & SHM_DEST) != 0, (mode & SHM_LOCKED) != 0,
                timeOf(ds, SHM_ATIME), timeOf(ds, SHM_DTIME), timeOf(ds, SHM_CTIME));
    }

    @Override
    int control(int command, long address) {
        return SYSV.shmctl(id(), command, address);
    }

    @Override
    String controlName() {
        return "shmctl";
    }
}
