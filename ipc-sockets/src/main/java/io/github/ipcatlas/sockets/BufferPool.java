package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The direct buffers of a {@link SelectorServer}, all of one size, lent to connections while they hold part of a
 * message and taken back between messages, so memory follows the messages in flight rather than the connections
 * open. Buffers are allocated on first need and kept for reuse, never more than the budget; when the budget is spent,
 * or direct memory runs out first ({@code -XX:MaxDirectMemorySize}), {@link #take} refuses with an
 * {@link IOException} that says which, and the server closes only the connection that asked. After direct memory ran
 * out, the budget is lowered to what could be allocated, so later refusals are immediate (the JDK tries a full GC and
 * waits up to half a second before it gives up on an allocation).
 *
 * <p>Not thread-safe: owned by the selector thread. Taking and giving back allocate nothing.
 */
final class BufferPool {
    private final int bufferBytes;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long budgetBytes;
    private long allocatedBytes;

    BufferPool(int bufferBytes, long budgetBytes) {
        this.bufferBytes = bufferBytes;
        this.budgetBytes = budgetBytes;
    }

    /** A cleared buffer of {@code bufferBytes}. */
    ByteBuffer take() throws IOException {
        ByteBuffer buffer = free.pollFirst();
        if (buffer != null) {
            return buffer.clear();
        }
        if (allocatedBytes + bufferBytes > budgetBytes) {
            throw new IOException("no buffer for another message: the buffer budget of " + budgetBytes
                    + " bytes (" + budgetBytes / bufferBytes + " buffers of maxFrameBytes " + bufferBytes
                    + ") is in use by unfinished messages; raise bufferBudget or lower maxFrameBytes");
        }
        try {
            buffer = ByteBuffer.allocateDirect(bufferBytes);
        } catch (OutOfMemoryError e) {
            budgetBytes = allocatedBytes;
            throw new IOException("direct memory exhausted allocating a " + bufferBytes + "-byte buffer ("
                    + e.getMessage() + "); buffer budget lowered to the " + allocatedBytes + " bytes allocated; "
                    + "raise -XX:MaxDirectMemorySize or lower maxFrameBytes", e);
        }
        allocatedBytes += bufferBytes;
        return buffer;
    }

    /** Takes back a buffer that {@link #take} lent. */
    void give(ByteBuffer buffer) {
        free.addFirst(buffer);
    }

    /** Bytes of direct memory allocated so far (lent or free). */
    long allocatedBytes() {
        return allocatedBytes;
    }
}
