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

    /** The peer's pid. */
    public long peerPid() {
        return peer.pid();
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
