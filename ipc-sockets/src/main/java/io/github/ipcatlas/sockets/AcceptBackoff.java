package io.github.ipcatlas.sockets;

import java.util.concurrent.TimeUnit;

/**
 * How long a server stops accepting after {@code accept} failed. A failed accept ({@code EMFILE}: no descriptor
 * left) leaves the connection in the backlog, so the listener stays ready and retrying at once would spin a core
 * until a descriptor frees up. Pauses start at {@link #FIRST_PAUSE_NANOS}, double after each further failure up to
 * {@link #LONGEST_PAUSE_NANOS}, and start again from the first after an accept succeeds. Meanwhile the kernel keeps
 * queueing connections in the backlog, and the connections already open are served as before.
 *
 * <p>Not thread-safe: owned by the thread that accepts.
 */
final class AcceptBackoff {
    /** The pause after the first failure: 50 ms. */
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The longest pause: 1 s. */
    static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long next = FIRST_PAUSE_NANOS;

    /** After a failed accept: how long to stop accepting, in nanoseconds. */
    long failed() {
        long pause = next;
        next = Math.min(next * 2, LONGEST_PAUSE_NANOS);
        return pause;
    }

    /** After a successful accept. */
    void succeeded() {
        next = FIRST_PAUSE_NANOS;
    }
}
