package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.RingConsumer;
import io.github.ipcatlas.shm.RingProducer;

/**
 * A {@link Link} over two {@code ipc-shm} rings, one each way, through the library's own copying
 * {@code send}/{@code receive}. A zero-length record ends the conversation. Not thread-safe: one thread per side.
 */
final class RingLink implements Link {
    private static final ByteBuffer END = ByteBuffer.allocateDirect(0);

    private final RingConsumer in;
    private final RingProducer out;
    private final MappedFile inMemory;
    private final MappedFile outMemory;

    RingLink(RingConsumer in, RingProducer out, MappedFile inMemory, MappedFile outMemory) {
        this.in = in;
        this.out = out;
        this.inMemory = inMemory;
        this.outMemory = outMemory;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (!out.send(message, ChildConnection.PEER_DEADLINE)) {
            throw new IpcTimeoutException("waiting for room in the ring", ChildConnection.PEER_DEADLINE);
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        int expected = into.remaining();
        int length = in.receive(into, ChildConnection.PEER_DEADLINE);
        if (length < 0) {
            throw new IpcTimeoutException("waiting for the peer's message", ChildConnection.PEER_DEADLINE);
        }
        if (length == 0) {
            throw new EOFException("the peer ended the conversation");
        }
        if (length != expected) {
            throw new IOException("a " + length + "-byte message where " + expected + " bytes were expected");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (outMemory.isOpen()) {
                out.send(END.duplicate(), Duration.ofSeconds(1));
            }
        } finally {
            outMemory.close();
            inMemory.close();
        }
    }
}
