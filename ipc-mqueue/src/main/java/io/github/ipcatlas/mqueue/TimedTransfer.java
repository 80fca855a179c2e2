package io.github.ipcatlas.mqueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.OwnedDescriptor;
import io.github.ipcatlas.core.linux.RealtimeTimespec;

/**
 * The send and receive of one {@link MessageQueue}: checks the arguments before any native call, then makes one
 * {@code mq_timedsend} or {@code mq_timedreceive} under a lease on the descriptor, so a concurrent {@code close()}
 * cannot hand its number to another file mid-call. Every variant (blocking, try, timed) is the timed call, with a
 * NULL, past or computed deadline. Heap buffers are staged through the thread's {@link NativeScratch}: nothing here
 * allocates per message.
 *
 * <p>Thread-safe: immutable; the mutable memory is per thread.
 */
final class TimedTransfer {
    /** A timeout meaning no deadline (NULL to the kernel); 0 means try once. */
    static final long FOREVER = -1;

    private final String name;
    private final Access access;
    private final OwnedDescriptor descriptor;
    private final long maxMessageSize;

    TimedTransfer(String name, Access access, OwnedDescriptor descriptor, long maxMessageSize) {
        this.name = name;
        this.access = access;
        this.descriptor = descriptor;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Sends {@code message}'s remaining bytes, advancing its position. {@code timeoutNanos}: {@link #FOREVER}, 0 or
     * how long to wait.
     *
     * @return false when it would block or timed out
     */
    boolean send(ByteBuffer message, int priority, long timeoutNanos) throws IOException {
        return transfer(true, message, priority, timeoutNanos, null);
    }

    /**
     * Receives into {@code buffer}, advancing its position. {@code timeoutNanos} as for {@link #send}.
     *
     * @return the length, or -1 (in {@code delivery} too) when it would block or timed out
     */
    int receive(ByteBuffer buffer, long timeoutNanos, Delivery delivery) throws IOException {
        int before = buffer.position();
        if (!transfer(false, buffer, 0, timeoutNanos, delivery)) {
            if (delivery != null) {
                delivery.set(-1, -1);
            }
            return -1;
        }
        return buffer.position() - before;
    }

    /** One send or receive; false when it would block or timed out. */
    private boolean transfer(boolean send, ByteBuffer buffer, int priority, long timeoutNanos, Delivery delivery)
            throws IOException {
        Objects.requireNonNull(buffer, "buffer");
        if (send) {
            checkSend(buffer, priority);
        } else {
            checkReceive(buffer);
        }
        NativeScratch scratch = NativeScratch.forThisThread();
        int fd = descriptor.acquire();
        try {
            ByteBuffer direct = buffer.isDirect() ? buffer : scratch.staging((int) maxMessageSize);
            // never more than the memory behind `direct`: the staging buffer holds exactly maxMessageSize bytes
            int length = direct == buffer ? buffer.remaining() : (send ? buffer.remaining() : (int) maxMessageSize);
            if (send && direct != buffer) {
                direct.clear().put(buffer.duplicate()).flip();
            }
            long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
            while (true) {
                long when = timeoutNanos < 0 ? 0 : scratch.deadline.fromNow(timeoutNanos == 0 ? 0 : deadline - System.nanoTime());
                long result = send
                        ? scratch.calls.send(fd, direct, length, priority, when)
                        : scratch.calls.receive(fd, direct, length, scratch.priorityAddress, when);
                if (result >= 0) {
                    if (send) {
                        buffer.position(buffer.position() + length);
                    } else {
                        int received = (int) result;
                        if (direct != buffer) {
                            buffer.put(direct.clear().limit(received));
                        } else {
                            buffer.position(buffer.position() + received);
                        }
                        if (delivery != null) {
                            delivery.set(received, scratch.priority.getInt(0));
                        }
                    }
                    return true;
                }
                int errno = scratch.calls.errno();
                if (errno == Errors.EINTR) {
                    continue;
                }
                if (timeoutNanos > 0 && RealtimeTimespec.endedEarly(errno, deadline)) {
                    continue;
                }
                if (errno == Errors.ETIMEDOUT || (errno == Errors.EAGAIN && timeoutNanos >= 0)) {
                    return false;
                }
                throw Errors.of(send ? "mq_send" : "mq_receive", name, errno,
                        errno == Errors.EAGAIN ? "the descriptor is in non-blocking mode; use trySend/tryReceive"
                                : null);
            }
        } finally {
            descriptor.release();
        }
    }

    private void checkSend(ByteBuffer message, int priority) {
        if (!access.canSend()) {
            throw new IllegalStateException("queue " + name + " was opened " + access + ": it cannot send");
        }
        if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0.." + MessageQueue.MAX_PRIORITY);
        }
        if (message.remaining() > maxMessageSize) {
            throw new IllegalArgumentException("message of " + message.remaining() + " bytes is larger than queue "
                    + name + " allows (maxMessageSize " + maxMessageSize + ")");
        }
    }

    private void checkReceive(ByteBuffer buffer) {
        if (!access.canReceive()) {
            throw new IllegalStateException("queue " + name + " was opened " + access + ": it cannot receive");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only");
        }
        if (buffer.remaining() < maxMessageSize) {
            throw new IllegalArgumentException("receive buffer has " + buffer.remaining() + " bytes of room; queue "
                    + name + " delivers messages of up to " + maxMessageSize + " bytes, and the kernel refuses "
                    + "(EMSGSIZE) a smaller buffer");
        }
    }
}
