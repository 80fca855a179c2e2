package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;

/** A {@link Mechanism.Connection} to an {@link EchoPeer} in a child JVM. */
public final class ChildConnection implements Mechanism.Connection {
    /** How long a peer may take to start, to finish, or to answer. */
    public static final Duration PEER_DEADLINE = Duration.ofSeconds(60);

    private final ChildProcess peer;
    private final Link link;
    private final Runnable cleanup;

    /**
     * @param cleanup run on close, after the peer is gone (removing files, say)
     */
    public ChildConnection(ChildProcess peer, Link link, Runnable cleanup) {
        this.peer = peer;
        this.link = link;
        this.cleanup = cleanup;
    }

    /**
     * A builder for a peer JVM serving {@code mechanism} in {@code mode}, with extra mechanism arguments. Benchmark
     * peers run with the full JIT: no quick-start options.
     */
    public static ChildJvm.Builder peer(Mechanism mechanism, PeerMode mode, String... mechanismArgs) {
        return ChildJvm.builder(EchoPeer.class).jvmOptions("-Xms64m", "-Xmx256m").args(mechanism.id())
                .args(mode.toArgs().toArray(String[]::new)).args(mechanismArgs);
    }

    @Override
    public long peerPid() {
        return peer.pid();
    }

    /** Opens the benchmark's side once the peer has started (its pid is known; its descriptors are handed over). */
    @FunctionalInterface
    public interface LinkOpener {
        Link open(ChildProcess peer) throws IOException;
    }

    /**
     * Starts {@code peer}, opens the link, waits for the peer's {@code ready} and returns the connection; closing it
     * later runs {@code cleanup} after the peer is gone. If anything fails on the way, the peer is ended, the link
     * (if opened) closed, then {@code release} frees what the mechanism made for this connection (closing twice must
     * be harmless), then {@code cleanup} runs; the failure is rethrown.
     */
    public static ChildConnection start(ChildJvm.Builder peer, LinkOpener opener, AutoCloseable release,
                                        Runnable cleanup) throws IOException {
        ChildProcess started = null;
        Link link = null;
        try {
            started = peer.start();
            link = opener.open(started);
            started.awaitLine("ready", PEER_DEADLINE);
            return new ChildConnection(started, link, cleanup);
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            closeAfter(e, link);
            closeAfter(e, release);
            cleanup.run();
            throw e;
        }
    }

    private static void closeAfter(Exception failure, AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception secondary) {
            failure.addSuppressed(secondary);
        }
    }

    /** {@link #start(ChildJvm.Builder, LinkOpener, AutoCloseable, Runnable)} with nothing to clean up after. */
    public static ChildConnection start(ChildJvm.Builder peer, LinkOpener opener, AutoCloseable release)
            throws IOException {
        return start(peer, opener, release, () -> { });
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public PeerStats finish() throws IOException {
        link.close();
        PeerStats stats = PeerStats.parse(peer.nextLine(PEER_DEADLINE));
        int status = peer.awaitExit(PEER_DEADLINE);
        if (status != 0) {
            throw new IOException(peer + " exited with " + status + ": " + peer.stderr());
        }
        return stats;
    }

    @Override
    public void close() throws IOException {
        try {
            link.close();
        } finally {
            peer.close();
            cleanup.run();
        }
    }
}
