package io.github.ipcatlas.pipes;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDWR;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_WRONLY;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.pipes.internal.FifoLibC;

/**
 * Named pipes (FIFOs, {@code fifo(7)}): a pipe with a name in the file system, so any two processes that can open
 * the path can talk, related or not. The name is only a meeting point: the data never touches the disk, and the
 * kernel buffer exists only while some process has the FIFO open. The name stays until {@link #unlink} removes it.
 *
 * <p><b>Opening blocks.</b> {@code open(2)} of a FIFO for reading waits for a writer, and for writing waits for a
 * reader; a peer that never comes hangs the call forever, and no Java interrupt wakes it. The open methods here
 * never hang: a reader opens non-blocking and then polls until a writer has come (and written, or left) or the
 * deadline passes; a writer retries the non-blocking open, which fails with {@code ENXIO} while no reader exists,
 * until a reader appears or the deadline passes. The returned ends are blocking, like any pipe end.
 *
 * <p><b>The O_RDWR keep-alive.</b> {@link #openReadWrite} (Linux-specific, unspecified by POSIX) opens both
 * directions at once and never blocks. A server that holds such a descriptor is its own writer, so its reads never
 * see end of stream when clients come and go, and clients' write opens never fail with ENXIO. Use it for a
 * long-lived reader served by many short-lived writers; do not use it when you need end of stream to learn that
 * the writer finished.
 *
 * <p>New FIFOs get mode {@value #DEFAULT_MODE_TEXT} (owner read/write only), further reduced by the process umask,
 * as {@code mkfifo(3)} does. Thread-safe (stateless).
 */
public final class Fifo {
    /** Mode of a FIFO created without an explicit one: {@code 0600}. */
    public static final int DEFAULT_MODE = 0600;
    static final String DEFAULT_MODE_TEXT = "0600";

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final long MAX_RETRY_PAUSE_NANOS = 20_000_000L;

    private Fifo() {
    }

    /** Creates a FIFO at {@code path} with mode {@code 0600} ({@code mkfifo(3)}). */
    public static Path create(Path path) throws IOException {
        return create(path, DEFAULT_MODE);
    }

    /**
     * Creates a FIFO at {@code path} with {@code mode} (less the umask).
     *
     * @throws java.nio.file.FileAlreadyExistsException if anything exists at {@code path} (the message says what)
     * @throws NoSuchFileException if the directory does not exist
     * @throws java.nio.file.AccessDeniedException if the directory is not writable
     * @throws IllegalArgumentException if {@code mode} is outside {@code 0..0777}
     */
    public static Path create(Path path, int mode) throws IOException {
        checkPath(path);
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("FIFO mode " + Integer.toOctalString(mode)
                    + " (octal) is outside 0..0777");
        }
        if (binding().mkfifo(path.toString(), mode) != 0) {
            int errno = Native.errno();
            throw Errors.of("mkfifo", path.toString(), errno, createHint(path, errno));
        }
        return path;
    }

    /**
     * Creates a FIFO at {@code path} unless one is already there.
     *
     * @throws FileSystemException if something other than a FIFO is at {@code path}
     */
    public static Path createIfMissing(Path path, int mode) throws IOException {
        checkPath(path);
        if (Files.exists(path)) {
            requireFifo(path, "use as a FIFO");
            return path;
        }
        try {
            return create(path, mode);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            requireFifo(path, "use as a FIFO"); // another process created it meanwhile
            return path;
        }
    }

    /** Whether {@code path} (following symbolic links) is a FIFO. */
    public static boolean isFifo(Path path) throws IOException {
        checkPath(path);
        return Files.exists(path) && (mode(path) & S_IFMT) == S_IFIFO;
    }

    /**
     * Opens the FIFO for reading and waits, at most {@code timeout}, until a writer has opened it and written
     * something or closed it again. The first read on the returned end then never blocks.
     *
     * @throws IpcTimeoutException if no writer came in time (nothing is left open)
     * @throws FileSystemException if {@code path} is not a FIFO
     */
    public static PipeEnd openReader(Path path, Duration timeout) throws IOException {
        checkPath(path);
        Deadline.check(timeout);
        requireFifo(path, "open for reading");
        // O_NONBLOCK: open returns at once instead of waiting for a writer; poll then waits with a deadline.
        PipeEnd end = openEnd(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, "fifo " + path + " read end");
        try {
            if (!end.awaitReadable(timeout)) {
                throw new IpcTimeoutException("open(" + path + ") for reading: no writer came, so", timeout);
            }
            end.setNonBlocking(false);
            return end;
        } catch (IOException | RuntimeException e) {
            end.close();
            throw e;
        }
    }

    /**
     * Opens the FIFO for writing, waiting at most {@code timeout} for a reader to open it.
     *
     * @throws IpcTimeoutException if no reader came in time
     * @throws FileSystemException if {@code path} is not a FIFO
     */
    public static PipeEnd openWriter(Path path, Duration timeout) throws IOException {
        checkPath(path);
        Deadline deadline = Deadline.after(timeout);
        requireFifo(path, "open for writing");
        long pause = 100_000L;
        while (true) {
            int fd = Native.libc().open(path.toString(), O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
            if (fd >= 0) {
                PipeEnd end = adopt(fd, "fifo " + path + " write end");
                try {
                    end.setNonBlocking(false);
                    return end;
                } catch (IOException | RuntimeException e) {
                    end.close();
                    throw e;
                }
            }
            int errno = Native.errno();
            if (errno != Errors.ENXIO && errno != Errors.EINTR) {
                throw Errors.of("open", path.toString(), errno);
            }
            // ENXIO: no reader yet. The kernel offers no way to wait for one, so retry with a growing pause.
            long left = deadline.remainingNanos();
            if (left == 0) {
                throw new IpcTimeoutException("open(" + path + ") for writing: no reader came, so", timeout);
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while waiting for a reader of " + path);
            }
            pause = Math.min(pause * 2, MAX_RETRY_PAUSE_NANOS);
        }
    }

    /**
     * Opens the FIFO for reading and writing ({@code O_RDWR}), which never blocks on Linux. See the class comment
     * for when this keep-alive is right.
     */
    public static PipeEnd openReadWrite(Path path) throws IOException {
        checkPath(path);
        requireFifo(path, "open for reading and writing");
        return openEnd(path, O_RDWR | O_CLOEXEC, "fifo " + path + " (read-write)");
    }

    /**
     * Removes the FIFO's name ({@code unlink(2)}). Processes that have it open keep using it; new ones can no
     * longer find it.
     *
     * @throws FileSystemException if {@code path} is not a FIFO (nothing is removed)
     * @throws NoSuchFileException if nothing is at {@code path}
     */
    public static void unlink(Path path) throws IOException {
        checkPath(path);
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw Errors.of("unlink", path.toString(), Errors.ENOENT);
        }
        requireFifo(path, "unlink as a FIFO");
        if (Native.libc().unlink(path.toString()) != 0) {
            throw Errors.of("unlink", path.toString(), Native.errno());
        }
    }

    private static PipeEnd openEnd(Path path, int flags, String description) throws IOException {
        int fd = Native.libc().open(path.toString(), flags, 0);
        if (fd < 0) {
            throw Errors.of("open", path.toString(), Native.errno());
        }
        return adopt(fd, description);
    }

    private static PipeEnd adopt(int fd, String description) throws IOException {
        try {
            return new PipeEnd(fd, description);
        } catch (IOException | RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
    }

    private static void requireFifo(Path path, String action) throws IOException {
        if (!Files.exists(path)) {
            throw Errors.of("open", path.toString(), Errors.ENOENT, missingHint(path));
        }
        int mode = mode(path);
        if ((mode & S_IFMT) != S_IFIFO) {
            throw new FileSystemException(path.toString(), null,
                    "cannot " + action + ": " + path + " is " + describeType(mode) + ", not a FIFO");
        }
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode");
    }

    private static String describeType(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0140000 -> "a socket";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0120000 -> "a symbolic link";
            case S_IFIFO -> "a FIFO";
            default -> "a file of type " + Integer.toOctalString(mode & S_IFMT);
        };
    }

    private static String createHint(Path path, int errno) {
        if (errno == Errors.ENOENT) {
            return missingHint(path);
        }
        if (errno == Errors.EEXIST) {
            try {
                return path + " exists and is " + describeType(mode(path));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        if (errno == Errors.EACCES) {
            return "the directory " + path.toAbsolutePath().getParent() + " is not writable by this user";
        }
        return null;
    }

    private static String missingHint(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent != null && !Files.isDirectory(parent) ? "the directory " + parent + " does not exist"
                : "no file " + path.getFileName() + " in " + parent;
    }

    private static void checkPath(Path path) {
        Objects.requireNonNull(path, "path");
        String text = path.toString();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("FIFO path is empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("FIFO path \"" + text.replace("\0", "\\0") + "\" contains NUL");
        }
    }

    private static FifoLibC binding() {
        return Binding.FIFO;
    }

    private static final class Binding {
        static final FifoLibC FIFO = NativeLibrary.load(FifoLibC.class, "c");
    }
}
