package io.github.ipcatlas.sockets;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a server has done since it started: connections accepted, rejected at the limit, ended by an error, and the
 * latest error. Updated by the server's threads, read by anyone; counters only grow. Thread-safe; recording
 * allocates nothing.
 */
public final class ServerStatistics {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
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

    /** Connections ended by an error: a handler's exception, a protocol violation, a reset. */
    public long failedConnections() {
        return failed.get();
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

    /** An error that ended no connection (a failed accept, say). */
    void noted(Throwable cause) {
        lastFailure.set(cause);
    }

    @Override
    public String toString() {
        return "accepted " + acceptedConnections() + ", rejected " + rejectedConnections() + ", failed "
                + failedConnections() + ", requests " + requests();
    }
}
