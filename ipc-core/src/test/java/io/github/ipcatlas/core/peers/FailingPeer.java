package io.github.ipcatlas.core.peers;

/** Fails at start-up with an exception, as a broken peer would. */
public final class FailingPeer {
    private FailingPeer() {
    }

    public static void main(String[] args) {
        throw new IllegalStateException("peer could not start: no configuration");
    }
}
