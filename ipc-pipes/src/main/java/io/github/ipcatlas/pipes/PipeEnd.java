package io.github.ipcatlas.pipes;

import static io.github.ipcatlas.core.linux.LinuxConstants.F_GETPIPE_SZ;
import static io.github.ipcatlas.core.linux.LinuxConstants.F_SETPIPE_SZ;

import java.io.IOException;
import java.nio.file.Path;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.core.linux.Native;

/**
 * One end of a pipe or FIFO: a {@link FdChannel} (blocking, timed and zero-garbage reads and writes, streams)
 * plus what only pipes have, the kernel buffer's capacity.
 *
 * <p><b>Kernel semantics</b> ({@code pipe(7)}): a read returns what is buffered, at least one byte, and blocks
 * while the pipe is empty and a writer exists; it returns end of stream ({@code -1}) once every write end in every
 * process is closed. A write blocks while the buffer is full; once every read end is closed it fails with
 * {@code EPIPE} (the JVM ignores {@code SIGPIPE}, which would otherwise kill the writer). Writes of at most
 * {@link #PIPE_BUF} bytes are atomic: concurrent writers never interleave inside them.
 *
 * <p>Thread-safe, like {@link FdChannel}.
 */
public class PipeEnd extends FdChannel {
    /** Largest write the kernel performs atomically ({@code PIPE_BUF}, 4096 on Linux). */
    public static final int PIPE_BUF = 4096;

    private static final Path PIPE_MAX_SIZE = Path.of("/proc/sys/fs/pipe-max-size");

    PipeEnd(int fd, String description) throws IOException {
        super(fd, description);
    }

    /**
     * The capacity of the kernel buffer in bytes ({@code fcntl(F_GETPIPE_SZ)}); 65536 by default. A writer blocks
     * when this many bytes are unread.
     */
    public int capacity() throws IOException {
        int fd = begin();
        try {
            int size = Native.libc().fcntl(fd, F_GETPIPE_SZ, 0);
            if (size < 0) {
                throw Errors.of("fcntl(F_GETPIPE_SZ)", description(), Native.errno());
            }
            return size;
        } finally {
            end();
        }
    }

    /**
     * Resizes the kernel buffer ({@code fcntl(F_SETPIPE_SZ)}) and returns the capacity the kernel chose: at least
     * {@code bytes}, rounded up to a power-of-two number of pages. Unprivileged processes may not go above
     * {@code /proc/sys/fs/pipe-max-size} (1 MiB by default), and the kernel refuses to shrink below the bytes
     * currently buffered ({@code EBUSY}). The capacity belongs to the pipe, so both ends see it.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public int setCapacity(int bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("pipe capacity " + bytes + " must be positive");
        }
        int fd = begin();
        try {
            int size = Native.libc().fcntl(fd, F_SETPIPE_SZ, bytes);
            if (size < 0) {
                int errno = Native.errno();
                throw Errors.of("fcntl(F_SETPIPE_SZ, " + bytes + ")", description(), errno, capacityHint(errno));
            }
            return size;
        } finally {
            end();
        }
    }

    /** {@code /proc/sys/fs/pipe-max-size}: the largest capacity an unprivileged process may set. */
    public static int maxCapacity() throws IOException {
        return (int) ProcFs.readLong(PIPE_MAX_SIZE);
    }

    private static String capacityHint(int errno) {
        try {
            return switch (errno) {
                case Errors.EPERM -> "the limit for unprivileged processes is /proc/sys/fs/pipe-max-size = "
                        + maxCapacity() + " bytes; raise it with sysctl fs.pipe-max-size or run with CAP_SYS_RESOURCE";
                case 16 /* EBUSY */ -> "more bytes are buffered than the new capacity would hold; drain the pipe first";
                default -> null;
            };
        } catch (IOException unreadable) {
            return null;
        }
    }
}
