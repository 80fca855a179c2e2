package io.github.ipcatlas.mmap;

import static io.github.ipcatlas.core.linux.LinuxConstants.F_OFD_SETLK;
import static io.github.ipcatlas.core.linux.LinuxConstants.F_RDLCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.F_WRLCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_WRONLY;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.OwnedDescriptor;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.internal.RecordLockLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An advisory lock on a byte range of a file, shared (many readers) or exclusive (one writer), held against other
 * processes <i>and</i> other locks of this process: an open-file-description lock ({@code fcntl(F_OFD_SETLK)},
 * Linux 3.15+) on a descriptor this object opens and owns.
 *
 * <p><b>Why not the classic POSIX record lock</b> ({@code F_SETLK}, which {@link java.nio.channels.FileChannel#lock}
 * uses): a POSIX lock belongs to the <i>process</i>, and closing <i>any</i> descriptor of the file releases it —
 * mapping the file ({@link MappedFile#map} opens and closes a channel), reading it with {@link java.nio.file.Files},
 * or a library doing either would silently drop the lock. An OFD lock belongs to the open file description: only
 * {@link #close()} (or the death of the process) releases it. Two OFD locks conflict even within one process, so two
 * threads of a JVM wait for each other like two processes do. Both kinds of lock see each other: a process using
 * {@code lockf}/{@code fcntl(F_SETLK)} (Python's {@code fcntl.lockf}, say) is kept out too.
 *
 * <p>Locks are <i>advisory</i>: they stop only processes that also lock, never a plain read, write, truncation or
 * deletion. The descriptor is close-on-exec, so a child process never inherits (and prolongs) the lock.
 *
 * <p>Thread-safe. {@link #close()} releases the lock and is idempotent.
 */
public final class FileRegionLock implements AutoCloseable {
    private static final long FIRST_PAUSE_NANOS = 100_000L;
    private static final long MAX_PAUSE_NANOS = 10_000_000L;

    private final Path file;
    private final long position;
    private final long size;
    private final boolean shared;
    private final OwnedDescriptor descriptor;

    private FileRegionLock(Path file, long position, long size, boolean shared, OwnedDescriptor descriptor) {
        this.file = file;
        this.position = position;
        this.size = size;
        this.shared = shared;
        this.descriptor = descriptor;
    }

    /** Locks the whole file (whatever its size becomes), waiting at most {@code timeout}. */
    public static FileRegionLock lock(Path file, boolean shared, Duration timeout) throws IOException {
        return lock(file, 0, Long.MAX_VALUE, shared, timeout);
    }

    /**
     * Locks {@code size} bytes from {@code position} ({@code Long.MAX_VALUE}: to the end of the file, however it
     * grows), waiting at most {@code timeout} while another lock — of any process, this one included — overlaps in
     * a conflicting way. Opens the file for reading (shared) or writing (exclusive), as {@code fcntl} requires.
     *
     * @throws IpcTimeoutException if the lock stays taken until the deadline
     * @throws IllegalArgumentException for a negative position, a non-positive size or a range past
     *                                  {@code Long.MAX_VALUE}
     */
    public static FileRegionLock lock(Path file, long position, long size, boolean shared, Duration timeout)
            throws IOException {
        Objects.requireNonNull(file, "file");
        if (position < 0) {
            throw new IllegalArgumentException("lock position " + position + " is negative");
        }
        if (size < 1) {
            throw new IllegalArgumentException("lock size " + size + " must be at least 1");
        }
        if (size != Long.MAX_VALUE && position > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException("lock range [" + position + ", +" + size + ") ends past Long.MAX_VALUE");
        }
        Deadline deadline = Deadline.after(timeout);
        // O_NONBLOCK: opening a FIFO planted at the path must not hang; it changes nothing for a regular file.
        int fd = Native.libc().open(file.toString(), (shared ? O_RDONLY : O_WRONLY) | O_CLOEXEC | O_NONBLOCK, 0);
        if (fd < 0) {
            throw Errors.of("open", file.toString(), Native.errno());
        }
        FileRegionLock lock = new FileRegionLock(file, position, size, shared, new OwnedDescriptor(fd));
        try {
            lock.acquire(deadline, timeout);
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.descriptor.close();
            throw e;
        }
    }

    private void acquire(Deadline deadline, Duration timeout) throws IOException {
        Pointer flock = Memory.allocateDirect(Native.runtime(), RecordLockLibC.FLOCK_BYTES, true);
        flock.putShort(RecordLockLibC.L_TYPE, shared ? F_RDLCK : F_WRLCK);
        flock.putShort(RecordLockLibC.L_WHENCE, (short) 0);
        flock.putLong(RecordLockLibC.L_START, position);
        flock.putLong(RecordLockLibC.L_LEN, size == Long.MAX_VALUE ? 0 : size);
        flock.putInt(RecordLockLibC.L_PID, 0);
        int fd = descriptor.acquire();
        try {
            for (long pause = FIRST_PAUSE_NANOS; binding().fcntl(fd, F_OFD_SETLK, flock) != 0; ) {
                int errno = Native.errno();
                if (errno != Errors.EAGAIN && errno != Errors.EACCES && errno != Errors.EINTR) {
                    throw Errors.of("fcntl(F_OFD_SETLK)", describe(), errno);
                }
                if (deadline.expired()) {
                    throw new IpcTimeoutException("locking " + describe() + ": another lock holds it, so", timeout);
                }
                LockSupport.parkNanos(Math.min(pause, deadline.remainingNanos()));
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while locking " + describe());
                }
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
        } finally {
            descriptor.release();
        }
    }

    /** Whether the lock is shared. */
    public boolean isShared() {
        return shared;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isHeld() {
        return descriptor.isOpen();
    }

    /** Releases the lock by closing its descriptor, the only one of its open file description. Idempotent. */
    @Override
    public void close() {
        descriptor.close();
    }

    @Override
    public String toString() {
        return "FileRegionLock[" + describe() + (isHeld() ? "" : ", released") + "]";
    }

    private String describe() {
        return (shared ? "shared" : "exclusive") + " lock on " + file + " bytes [" + position + ", "
                + (size == Long.MAX_VALUE ? "end" : String.valueOf(position + size)) + ")";
    }

    private static RecordLockLibC binding() {
        return Binding.LOCKS;
    }

    private static final class Binding {
        static final RecordLockLibC LOCKS = NativeLibrary.load(RecordLockLibC.class, "c");
    }

}
