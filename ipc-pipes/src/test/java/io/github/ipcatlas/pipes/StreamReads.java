package io.github.ipcatlas.pipes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcTimeoutException;

/** Reads from another process that always end: a peer that never closes its end fails the test, never hangs it. */
final class StreamReads {
    private StreamReads() {
    }

    /** Every byte until end of stream; a writer that keeps its end open past {@code timeout} fails the test. */
    static byte[] readToEnd(FdChannel in, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int n;
        while ((n = in.read(buffer.clear(), Duration.ofNanos(deadline.remainingNanos()))) != -1) {
            if (n == 0) {
                throw new IpcTimeoutException("reading " + in + " to end of stream", timeout);
            }
            all.write(buffer.array(), 0, n);
        }
        return all.toByteArray();
    }
}
