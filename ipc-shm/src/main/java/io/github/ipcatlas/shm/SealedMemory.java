package io.github.ipcatlas.shm;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.OwnedDescriptor;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.internal.ShmLibC;

/**
 * Shared memory that no process can shrink: an anonymous file in memory ({@code memfd_create(2)}) of fixed size,
 * sealed ({@code F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL}) before anyone else can reach it.
 *
 * <p>Why: a page of a mapping past the end of its file raises {@code SIGBUS} on access. Java accessors check the
 * size first ({@link MappedFile#verifyNotTruncated()}), but a native call into the memory — {@code pthread_mutex_lock} of a
 * {@link RobustMutex} — cannot, and a peer that truncates a {@link SharedMemory} segment under it kills the JVM. The
 * kernel refuses every {@code ftruncate} of a sealed file ({@code EPERM}), whoever asks, and a seal can never be
 * removed: in this memory such a window does not exist.
 *
 * <p>It has no name in {@code /dev/shm}. Share it by descriptor — a child inherits it, {@code SCM_RIGHTS} passes it
 * — or, to a process of the same user, by {@link #path()}: {@code /proc/PID/fd/N}, valid while the creator keeps it
 * open. {@link #open} maps such a path and refuses a file that is not sealed against shrinking, so a peer cannot
 * pass off an ordinary file. The memory is freed when the last descriptor and mapping are gone; nothing is left
 * behind, even after a crash.
 *
 * <pre>{@code
 * try (SealedMemory memory = SealedMemory.create("orders", 1 << 20)) {     // in one process
 *     RobustMutex.initialize(memory.memory(), 0);
 *     startChild(memory.path());                                          // e.g. /proc/4242/fd/7
 * }
 * try (SealedMemory memory = SealedMemory.open(path, false)) { ... }       // in the child
 * }</pre>
 */
public final class SealedMemory implements AutoCloseable {
    /** The seals {@link #create} sets; {@link #open} requires at least {@code F_SEAL_SHRINK}. */
    private static final int SEALS = MemFd.Seal.SHRINK.bit | MemFd.Seal.GROW.bit | MemFd.Seal.SEAL.bit;

    private final MappedFile memory;
    private final Path path;
    private final OwnedDescriptor descriptor;

    private SealedMemory(MappedFile memory, Path path, OwnedDescriptor descriptor) {
        this.memory = memory;
        this.path = path;
        this.descriptor = descriptor;
    }

    /**
     * Creates {@code size} bytes of zeroed memory, reserved ({@code posix_fallocate}), sealed and mapped read-write.
     *
     * @param label a name for {@code /proc/PID/fd} listings ({@code /memfd:label}), 1 to 249 bytes, no {@code /}
     * @throws IllegalArgumentException for a bad label or a size that is not positive
     */
    public static SealedMemory create(String label, long size) throws IOException {
        MemFd.checkLabel(label);
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be at least 1 byte");
        }
        int fd = binding().memfd_create(label, MemFd.MFD_CLOEXEC | MemFd.MFD_ALLOW_SEALING);
        if (fd < 0) {
            throw Errors.of("memfd_create", label, Native.errno());
        }
        try {
            if (binding().ftruncate(fd, size) != 0) {
                throw Errors.of("ftruncate(" + size + " bytes)", "memfd " + label, Native.errno());
            }
            int error = binding().posix_fallocate(fd, 0, size);
            if (error != 0) {
                throw Errors.of("posix_fallocate(" + size + " bytes)", "memfd " + label, error,
                        error == Errors.ENOSPC ? "not enough memory for the reservation" : null);
            }
            if (Native.libc().fcntl(fd, MemFd.F_ADD_SEALS, SEALS) != 0) {
                throw Errors.of("fcntl(F_ADD_SEALS)", "memfd " + label, Native.errno());
            }
            Path path = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
            return new SealedMemory(MappedFile.map(fd, path, MapMode.READ_WRITE), path, new OwnedDescriptor(fd));
        } catch (IOException | RuntimeException e) {
            Native.libc().close(fd); // the memory goes with its only descriptor
            throw e;
        }
    }

    /**
     * Maps the sealed memory another process shared as {@code path} (such as {@code /proc/PID/fd/N}).
     *
     * @throws IOException if the file is not sealed against shrinking (an ordinary file, a segment of
     *                     {@code /dev/shm}): the guarantee this class exists for would not hold
     */
    public static SealedMemory open(Path path, boolean readOnly) throws IOException {
        Objects.requireNonNull(path, "path");
        int fd = Native.libc().open(path.toString(), (readOnly ? O_RDONLY : O_RDWR) | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.of("open", path.toString(), Native.errno());
        }
        try {
            int seals = Native.libc().fcntl(fd, MemFd.F_GET_SEALS, 0);
            if (seals < 0 || (seals & MemFd.Seal.SHRINK.bit) == 0) {
                throw new IOException(path + " is not memory sealed against shrinking (" + (seals < 0
                        ? "it cannot be sealed at all: not a memfd" : "its seals are " + seals)
                        + "); another process could truncate it under a native call");
            }
            return new SealedMemory(MappedFile.map(fd, path, readOnly ? MapMode.READ_ONLY : MapMode.READ_WRITE), path,
                    null);
        } finally {
            Native.libc().close(fd); // the mapping keeps the memory; the seals belong to the file, not the descriptor
        }
    }

    /** The mapped memory. */
    public MappedFile memory() {
        return memory;
    }

    /** Where a process of the same user finds it: {@code /proc/PID/fd/N} of the creator, or the path opened. */
    public Path path() {
        return path;
    }

    /** Bytes, fixed for its whole life. */
    public long size() {
        return memory.length();
    }

    /**
     * Closes the mapping (the collector unmaps it) and, in the creator, the descriptor: the memory is freed once no
     * process maps it.
     */
    @Override
    public void close() {
        try {
            memory.close();
        } finally {
            if (descriptor != null) {
                descriptor.close();
            }
        }
    }

    @Override
    public String toString() {
        return "SealedMemory[" + path + ", " + memory.length() + " bytes" + (memory.isOpen() ? "" : ", closed") + "]";
    }

    private static ShmLibC binding() {
        return Binding.SHM;
    }

    private static final class Binding {
        static final ShmLibC SHM = NativeLibrary.load(ShmLibC.class, "c");
    }
}
