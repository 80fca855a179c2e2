package io.github.ipcatlas.pipes;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;

import java.io.IOException;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;

/**
 * An anonymous pipe ({@code pipe(2)}): a one-way kernel buffer with a read end and a write end, reachable only
 * through those descriptors, so only this process and the children it hands an end to can use it. It lives as
 * long as some process holds one of its ends.
 *
 * <pre>{@code
 * try (AnonymousPipe pipe = AnonymousPipe.open()) {
 *     pipe.writeEnd().write(ByteBuffer.wrap("Hello from the parent process".getBytes(UTF_8)));
 *     ByteBuffer in = ByteBuffer.allocate(1024);
 *     pipe.readEnd().read(in);
 * }
 * }</pre>
 *
 * <p>Both ends are created close-on-exec ({@code O_CLOEXEC}), so no child inherits them by accident: hand one on
 * purpose with {@code ChildJvm.builder(...).inheritFd(pipe.readEnd(), 3)} (or {@code ChildProcess} for any
 * program), which places it at the chosen number in the child, then close your copy of that end so that end of
 * stream and broken pipe work as expected.
 *
 * <p>Thread-safe. {@link #close()} closes whichever ends are still open and is idempotent.
 */
public final class AnonymousPipe implements AutoCloseable {
    private final PipeEnd readEnd;
    private final PipeEnd writeEnd;

    private AnonymousPipe(PipeEnd readEnd, PipeEnd writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    /** Creates a pipe ({@code pipe2(2)} with {@code O_CLOEXEC}); both ends block. */
    public static AnonymousPipe open() throws IOException {
        int[] fds = new int[2];
        if (Native.libc().pipe2(fds, O_CLOEXEC) != 0) {
            int errno = Native.errno();
            throw Errors.of("pipe2", "anonymous pipe", errno, errno == Errors.EMFILE
                    ? "this process has as many descriptors open as RLIMIT_NOFILE allows (ulimit -n)" : null);
        }
        String name = "pipe " + fds[0] + "->" + fds[1];
        PipeEnd read = null;
        try {
            read = new PipeEnd(fds[0], name + " read end");
            return new AnonymousPipe(read, new PipeEnd(fds[1], name + " write end"));
        } catch (IOException | RuntimeException e) {
            if (read != null) {
                read.close();
            } else {
                Native.libc().close(fds[0]);
            }
            Native.libc().close(fds[1]);
            throw e;
        }
    }

    /** The end to read from. */
    public PipeEnd readEnd() {
        return readEnd;
    }

    /** The end to write to. */
    public PipeEnd writeEnd() {
        return writeEnd;
    }

    /** Closes both ends (those not closed already). */
    @Override
    public void close() throws IOException {
        try {
            writeEnd.close();
        } finally {
            readEnd.close();
        }
    }

    @Override
    public String toString() {
        return "AnonymousPipe[" + readEnd + ", " + writeEnd + "]";
    }
}
