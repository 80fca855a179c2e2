package io.github.ipcatlas.shm;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_CREAT;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_EXCL;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.internal.ShmLibC;

/**
 * A POSIX shared-memory segment ({@code shm_overview(7)}): memory with a name such as {@code /prices} that any
 * process can open and map. On Linux a segment is a file in the RAM-backed file system mounted at {@code /dev/shm};
 * it lives until it is {@linkplain #unlink(String) unlinked} or the machine reboots, even when no process has it
 * mapped — so it counts against {@code /dev/shm}'s size (often only 64 MiB in containers) until then.
 *
 * <pre>{@code
 * try (SharedMemory segment = SharedMemory.create("/prices", 4096)) {   // mode 0600, memory reserved now
 *     MappedFile memory = segment.memory();                              // mapped read-write, shared
 *     memory.setLongRelease(0, 42);
 * } finally {
 *     SharedMemory.unlink("/prices");                                    // close() ends access; only unlink removes it
 * }
 * }</pre>
 *
 * <p>Creating a segment reserves its memory at once ({@code posix_fallocate}): a full {@code /dev/shm} is a clear
 * {@code ENOSPC} error at creation, not a {@code SIGBUS} at the first write into a page that cannot be allocated.
 *
 * <p>Thread-safe; see {@link MappedFile} for what closing a mapping does to accesses in other threads.
 * {@link #close()} ends access (idempotent; the garbage collector unmaps) and never removes the name.
 */
public final class SharedMemory implements AutoCloseable {
    /** Where Linux keeps segments. */
    public static final Path DEV_SHM = Path.of("/dev/shm");
    /** Mode of a segment created without an explicit one. */
    public static final int DEFAULT_MODE = 0600;

    private final String name;
    /** Device and inode of the segment mapped: resize refuses to touch whatever else the name names by then. */
    private final Object fileKey;
    private volatile MappedFile memory; // replaced by resize(); each MappedFile is safe to use after its close

    private SharedMemory(String name, int fd, MappedFile memory) throws IOException {
        this.name = name;
        this.fileKey = fileKey(fd);
        this.memory = memory;
    }

    /** Device and inode of the file open on {@code fd}. */
    private static Object fileKey(int fd) throws IOException {
        return Files.readAttributes(Path.of("/proc/self/fd/" + fd), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
    }

    /**
     * Creates a new segment of {@code size} bytes (mode 0600), reserves its memory and maps it read-write.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a segment of that name exists
     * @throws IllegalArgumentException for an invalid name or a size that is not positive or exceeds the free space
     *                                  of {@code /dev/shm} (the message says how much there is)
     */
    public static SharedMemory create(String name, long size) throws IOException {
        return create(name, size, DEFAULT_MODE);
    }

    /** {@link #create(String, long)} with {@code mode} (0 to 0777). */
    public static SharedMemory create(String name, long size, int mode) throws IOException {
        IpcNames.validate(name);
        checkSize(size);
        if (mode < 0 || mode > 0777 || (mode & 0600) != 0600) {
            throw new IllegalArgumentException("segment mode " + Integer.toOctalString(mode) + " (octal) must be within "
                    + "0..0777 and let its owner read and write (0600): the creator maps it read-write");
        }
        long free = Files.getFileStore(DEV_SHM).getUsableSpace();
        if (size > free) {
            throw new IllegalArgumentException("a segment of " + size + " bytes does not fit: /dev/shm has " + free
                    + " bytes free (a container's /dev/shm is often 64 MiB; raise it with --shm-size)");
        }
        Path file = path(name);
        int fd = binding().shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0) {
            throw Errors.of("shm_open", name, Native.errno());
        }
        try {
            int error = binding().posix_fallocate(fd, 0, size);
            if (error != 0) {
                throw Errors.of("posix_fallocate(" + size + " bytes)", name, error,
                        error == Errors.ENOSPC ? "/dev/shm is full" : null);
            }
            // the descriptor, not the name: another process could swap the name between shm_open and a reopen
            return new SharedMemory(name, fd, MappedFile.map(fd, file, MapMode.READ_WRITE));
        } catch (IOException | RuntimeException e) {
            binding().shm_unlink(name); // no half-created segment is left behind
            throw e;
        } finally {
            Native.libc().close(fd);
        }
    }

    /**
     * Opens and maps an existing segment, whole.
     *
     * @param readOnly map it read-only (writes are then refused)
     * @throws java.nio.file.NoSuchFileException if there is no segment of that name
     */
    public static SharedMemory open(String name, boolean readOnly) throws IOException {
        IpcNames.validate(name);
        Path file = path(name);
        // O_NONBLOCK: a FIFO planted under the name would block open(2); the mapping then refuses it
        int fd = binding().shm_open(name, (readOnly ? O_RDONLY : O_RDWR) | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.of("shm_open", name, Native.errno());
        }
        try { // mapped from the descriptor shm_open checked, which a swapped name cannot redirect
            return new SharedMemory(name, fd, MappedFile.map(fd, file, readOnly ? MapMode.READ_ONLY : MapMode.READ_WRITE));
        } finally {
            Native.libc().close(fd); // the mapping needs no descriptor
        }
    }

    /**
     * Opens the segment read-write, creating it with {@code size} bytes if it does not exist. A segment that exists is
     * returned at the size its creator gave it (see {@link #size()}), which may differ from {@code size}.
     *
     * <p>Another process's {@code create} makes the name first and sizes the segment a moment later, so an existing
     * segment of 0 bytes is one still being created: this waits up to {@link #SIZING_WAIT} for its size to appear.
     *
     * @throws IOException if the segment still has 0 bytes after that (a creator that died between the two steps
     *                     leaves such a segment behind; unlink it)
     */
    public static SharedMemory openOrCreate(String name, long size) throws IOException {
        IpcNames.validate(name);
        checkSize(size);
        // open first: an existing segment is returned even where a new one of this size would not fit
        for (int attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
            try {
                return openSized(name);
            } catch (java.nio.file.NoSuchFileException absent) {
                // not there: make it
            }
            try {
                return create(name, size);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it between the two calls: open it
            }
        }
        throw new IOException("shared memory " + name + " was removed and made again " + RACE_ATTEMPTS
                + " times while we tried to open or create it");
    }

    private static final int RACE_ATTEMPTS = 100;

    /** Opens the segment read-write, waiting up to {@link #SIZING_WAIT} for a 0-byte one to get its size. */
    private static SharedMemory openSized(String name) throws IOException {
        long deadline = System.nanoTime() + SIZING_WAIT.toNanos();
        for (long pause = 1; ; pause = Math.min(pause * 2, 50)) {
            SharedMemory opened = open(name, false);
            if (opened.size() > 0) {
                return opened;
            }
            opened.close();
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("shared memory " + name + " exists but has 0 bytes after " + SIZING_WAIT
                        .toMillis() + " ms: its creator never sized it (it may have died between shm_open and "
                        + "posix_fallocate); unlink it if no process is creating it");
            }
            sleep(pause);
        }
    }

    /** How long {@link #openOrCreate} waits for another process's new segment to get its size. */
    public static final java.time.Duration SIZING_WAIT = java.time.Duration.ofSeconds(2);

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for a segment to be sized");
        }
    }

    /**
     * Removes the name ({@code shm_unlink(3)}). Processes that have the segment mapped keep it; the memory is freed
     * when the last of them unmaps (in a JVM, when the collector frees a closed mapping).
     *
     * @throws java.nio.file.NoSuchFileException if there is no segment of that name
     */
    public static void unlink(String name) throws IOException {
        IpcNames.validate(name);
        if (binding().shm_unlink(name) != 0) {
            throw Errors.of("shm_unlink", name, Native.errno());
        }
    }

    /** Removes the name if it exists; returns whether it did. */
    public static boolean unlinkIfExists(String name) throws IOException {
        IpcNames.validate(name);
        if (binding().shm_unlink(name) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errors.ENOENT) {
            return false;
        }
        throw Errors.of("shm_unlink", name, errno);
    }

    /** The segment's name. */
    public String name() {
        return name;
    }

    /** The segment's size in bytes. */
    public long size() {
        return memory.length();
    }

    /**
     * Grows the segment ({@code ftruncate}, the growth reserved with {@code posix_fallocate}) and remaps it. The old
     * {@link #memory()} is closed: views made on it (and threads still using it) get {@link IllegalStateException}
     * from then on, never a crash; make them again on the new one. Other processes keep their old, smaller mapping
     * until they map again.
     *
     * <p>Shrinking is refused: every process still touching the cut-off pages — a reader in this one, a native call
     * on a mutex, any other process — would fault with {@code SIGBUS}, which kills a native call outright. To shrink,
     * create a smaller segment and move the data.
     *
     * @throws IllegalArgumentException if {@code newSize} is smaller than the segment or does not fit in
     *                                  {@code /dev/shm}
     */
    public synchronized void resize(long newSize) throws IOException {
        checkSize(newSize);
        if (!memory.isOpen()) {
            throw new IllegalStateException(this + ": resize after close");
        }
        long grow = newSize - memory.length();
        if (grow < 0) {
            throw new IllegalArgumentException("shrinking " + name + " from " + memory.length() + " to " + newSize
                    + " bytes is refused: whoever still touches the cut-off pages would die of SIGBUS");
        }
        if (grow > Files.getFileStore(DEV_SHM).getUsableSpace()) {
            throw new IllegalArgumentException("growing " + name + " to " + newSize + " bytes does not fit: /dev/shm has "
                    + Files.getFileStore(DEV_SHM).getUsableSpace() + " bytes free");
        }
        int fd = binding().shm_open(name, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.of("shm_open", name, Native.errno());
        }
        try {
            if (!fileKey(fd).equals(fileKey)) {
                throw new IOException(name + " now names another segment than the one mapped here (it was removed and "
                        + "created again); resize that one through a handle of its own");
            }
            long current = Files.size(Path.of("/proc/self/fd/" + fd)); // another handle may have grown it meanwhile
            if (newSize < current) {
                throw new IllegalArgumentException("shrinking " + name + " from " + current + " to " + newSize
                        + " bytes is refused (another handle grew it): whoever touches the cut-off pages would die of "
                        + "SIGBUS");
            }
            if (binding().ftruncate(fd, newSize) != 0) {
                throw Errors.of("ftruncate(" + newSize + ")", name, Native.errno());
            }
            int error = binding().posix_fallocate(fd, 0, newSize);
            if (error != 0) {
                throw Errors.of("posix_fallocate(" + newSize + " bytes)", name, error);
            }
            MappedFile old = memory;
            memory = MappedFile.map(fd, old.file(), old.mode()); // the new mapping first: memory() is never a closed one
            old.close();
        } finally {
            Native.libc().close(fd);
        }
    }

    /** The mapped memory: plain, ordered and atomic access by {@code long} offset. */
    public MappedFile memory() {
        return memory;
    }

    /**
     * Closes the mapping: later accesses throw, and the collector unmaps it; the segment and its contents stay until
     * unlinked. Idempotent.
     */
    @Override
    public synchronized void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + memory.length() + " bytes" + (memory.isOpen() ? "" : ", closed") + "]";
    }

    /**
     * The segment's file, {@code /dev/shm/NAME}. A JVM whose file-name encoding ({@code sun.jnu.encoding}, from the
     * locale: ASCII under {@code LC_ALL=C}) cannot spell the name cannot name the file either: refused here, before
     * anything is created, rather than half-way.
     */
    static Path path(String name) {
        try {
            return DEV_SHM.resolve(name.substring(1));
        } catch (java.nio.file.InvalidPathException unspellable) {
            throw new IllegalArgumentException("segment name \"" + name + "\" cannot be a file name in this JVM: its "
                    + "file-name encoding (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding") + ", from the "
                    + "locale) has no such characters; run it with a UTF-8 locale (LC_ALL=C.UTF-8) or use an ASCII name",
                    unspellable);
        }
    }

    private static void checkSize(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("segment size " + size + " must be at least 1 byte");
        }
    }

    private static ShmLibC binding() {
        return Binding.SHM;
    }

    private static final class Binding {
        static final ShmLibC SHM = NativeLibrary.load(ShmLibC.class, "c");
    }
}
