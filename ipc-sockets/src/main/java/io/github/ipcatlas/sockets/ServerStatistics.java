package io.github.ipcatlas.sockets;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a server has done since it started: connections accepted, rejected at the limit, ended by an error or by a
 * deadline, failed {@code accept} calls, and the latest error. Updated by the server's threads, read by anyone;
 * counters only grow. Thread-safe; recording allocates nothing.
 *
 * <p>A connection that is accepted and closed without sending anything — another server probing a Unix socket file
 * to see whether it is stale, a port scanner — is still an accepted connection here.
 */
public final class ServerStatistics {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong acceptFailures = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    ServerStatistics() {
    }

    /** Connections accepted (and served, or being served). */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections closed on arrival because {@code maxConnections} were open. */
    public long rejectedConnections() {
        return rejected.get();
    }

    /**
     * Connections ended by an error: a handler's exception, a protocol violation, a reset, no memory for its
     * buffer.
     */
    public long failedConnections() {
        return failed.get();
    }

    /** Connections closed by the server because a client idled, or took too long over a message. */
    public long timedOutConnections() {
        return timedOut.get();
    }

    /**
     * {@code accept} calls that failed ({@code EMFILE}: no descriptor left for the connection, {@code ENFILE},
     * {@code ENOBUFS}); after each the server stops accepting for a short while instead of retrying at once.
     */
    public long acceptFailures() {
        return acceptFailures.get();
    }

    /** Requests answered (by a {@link SelectorServer}; a {@link BlockingServer} does not see requests). */
    public long requests() {
        return requests.get();
    }

    /** The latest error, or {@code null}. */
    public Throwable lastFailure() {
        return lastFailure.get();
    }

    void accepted() {
        accepted.incrementAndGet();
    }

    void rejected() {
        rejected.incrementAndGet();
    }

    void answered() {
        requests.incrementAndGet();
    }

    /** A connection ended by {@code cause}. */
    void failed(Throwable cause) {
        failed.incrementAndGet();
        lastFailure.set(cause);
    }

    /** A connection closed because its deadline passed ({@code cause} says which). */
    void timedOut(Throwable cause) {
        timedOut.incrementAndGet();
        lastFailure.set(cause);
    }

    /** A failed {@code accept}. */
    void acceptFailed(Throwable cause) {
        acceptFailures.incrementAndGet();
        lastFailure.set(cause);
    }

    /** An error that ended no connection (or, for an {@link Error}, the server). */
    void noted(Throwable cause) {
        lastFailure.set(cause);
    }

    @Override
    public String toString() {
        return "accepted " + acceptedConnections() + ", rejected " + rejectedConnections() + ", failed "
                + failedConnections() + ", timed out " + timedOutConnections() + ", accept failures "
                + acceptFailures() + ", requests " + requests();
    }
}
