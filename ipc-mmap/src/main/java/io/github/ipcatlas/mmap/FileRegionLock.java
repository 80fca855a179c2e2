package io.github.ipcatlas.mmap;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * An advisory lock on a byte range of a file, held against other processes ({@code fcntl(F_SETLK)} record locks,
 * through {@link FileChannel#tryLock}), shared (many readers) or exclusive (one writer).
 *
 * <p><b>One process, several threads.</b> The JDK refuses a second lock on an overlapping range in the same JVM
 * with {@link java.nio.channels.OverlappingFileLockException}, even when both are shared. Locks taken here wait for
 * each other inside the JVM instead (any overlap, shared or not, waits), and then wait for other processes.
 *
 * <p><b>POSIX record-lock gotchas</b> ({@code fcntl(2)}): locks are <i>advisory</i> — they stop only processes that
 * also lock, never a plain read, write, truncation or deletion; and closing <i>any</i> descriptor of the file in
 * this process releases <i>all</i> this process's locks on it, even ones taken through another descriptor. This
 * class keeps its own channel open until {@link #close()}; do not close other channels of a locked file meanwhile.
 *
 * <p>Thread-safe. {@link #close()} releases the lock and is idempotent.
 */
public final class FileRegionLock implements AutoCloseable {
    private static final Map<Object, List<FileRegionLock>> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final long MAX_PAUSE_NANOS = 10_000_000L;

    private final Path file;
    private final Object fileKey;
    private final long position;
    private final long size;
    private final boolean shared;
    private FileChannel channel;
    private FileLock lock;

    private FileRegionLock(Path file, Object fileKey, long position, long size, boolean shared) {
        this.file = file;
        this.fileKey = fileKey;
        this.position = position;
        this.size = size;
        this.shared = shared;
    }

    /** Locks the whole file (whatever its size becomes), waiting at most {@code timeout}. */
    public static FileRegionLock lock(Path file, boolean shared, Duration timeout) throws IOException {
        return lock(file, 0, Long.MAX_VALUE, shared, timeout);
    }

    /**
     * Locks {@code size} bytes from {@code position}, waiting at most {@code timeout} for threads of this JVM and
     * for other processes that hold an overlapping lock.
     *
     * @throws IpcTimeoutException if the lock stays taken until the deadline
     * @throws IllegalArgumentException for a negative position or a non-positive size
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
        Deadline deadline = Deadline.after(timeout);
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileRegionLock wanted = new FileRegionLock(file, key, position, size, shared);
        wanted.enterJvm(deadline, timeout);
        try {
            wanted.channel = FileChannel.open(file, shared ? StandardOpenOption.READ : StandardOpenOption.WRITE);
            long pause = 100_000L;
            while ((wanted.lock = wanted.channel.tryLock(position, size, shared)) == null) {
                if (deadline.expired()) {
                    throw new IpcTimeoutException("locking " + wanted.describe() + ": another process holds it, so", timeout);
                }
                LockSupport.parkNanos(Math.min(pause, deadline.remainingNanos()));
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while locking " + wanted.describe());
                }
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
            return wanted;
        } catch (IOException | RuntimeException e) {
            wanted.release();
            throw e;
        }
    }

    /** Whether the lock is shared. */
    public boolean isShared() {
        return shared;
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() throws IOException {
        release();
    }

    @Override
    public String toString() {
        return "FileRegionLock[" + describe() + "]";
    }

    private String describe() {
        return (shared ? "shared" : "exclusive") + " lock on " + file + " bytes [" + position + ", "
                + (size == Long.MAX_VALUE ? "end" : String.valueOf(position + size)) + ")";
    }

    private boolean overlaps(FileRegionLock other) {
        return position < other.position + other.size && other.position < position + size;
    }

    /** Waits until no lock of this JVM overlaps, then registers this one. */
    private void enterJvm(Deadline deadline, Duration timeout) throws IOException {
        List<FileRegionLock> held = HELD_IN_THIS_JVM.computeIfAbsent(fileKey, k -> new ArrayList<>());
        synchronized (held) {
            while (held.stream().anyMatch(this::overlaps)) {
                long millis = deadline.remainingMillis();
                if (millis == 0) {
                    throw new IpcTimeoutException("locking " + describe() + ": another thread of this JVM holds an "
                            + "overlapping lock, so", timeout);
                }
                try {
                    held.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while locking " + describe());
                }
            }
            held.add(this);
        }
    }

    private synchronized void release() throws IOException {
        List<FileRegionLock> held = HELD_IN_THIS_JVM.get(fileKey);
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } finally {
            lock = null;
            channel = null;
            if (held != null) {
                synchronized (held) {
                    if (held.remove(this)) {
                        held.notifyAll();
                    }
                }
            }
        }
    }
}
