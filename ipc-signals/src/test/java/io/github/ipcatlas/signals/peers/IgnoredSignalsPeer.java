package io.github.ipcatlas.signals.peers;

import java.time.Duration;

import io.github.ipcatlas.signals.GracefulShutdown;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalHandlers;

/**
 * Started with some ending signals ignored: prints which ones a {@link GracefulShutdown} handles, then what
 * registering a handler for {@code SIGINT} answers.
 */
public final class IgnoredSignalsPeer {
    private IgnoredSignalsPeer() {
    }

    public static void main(String[] args) {
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(1))) {
            System.out.println("handles " + shutdown.signals());
        }
        try (SignalHandlers.Registration registration = SignalHandlers.register(Signal.INT, signal -> { })) {
            System.out.println("registered " + registration.signal());
        } catch (IllegalStateException refused) {
            System.out.println("refused: " + refused.getMessage());
        }
    }
}
