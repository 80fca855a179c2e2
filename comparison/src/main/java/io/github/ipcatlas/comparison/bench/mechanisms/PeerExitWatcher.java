package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.time.Duration;

import io.github.ipcatlas.core.ChildProcess;

/**
 * For mechanisms without an end of stream (a signal, an eventfd): a daemon thread that waits for the peer to exit,
 * then wakes the benchmark's blocked receive the way the mechanism can.
 */
final class PeerExitWatcher {
    /** What wakes the receive; it runs once, after the peer exited. */
    @FunctionalInterface
    interface Wake {
        void wake() throws IOException;
    }

    private PeerExitWatcher() {
    }

    /** Starts a daemon thread named {@code name} that runs {@code wake} once {@code peer} has exited. */
    static void start(ChildProcess peer, String name, Wake wake) {
        Thread watcher = new Thread(() -> {
            try {
                peer.awaitExit(Duration.ofDays(365));
                wake.wake();
            } catch (IOException ignored) {
                // the peer is gone, or the link closed meanwhile: nobody is left to wake
            }
        }, name);
        watcher.setDaemon(true);
        watcher.start();
    }
}
