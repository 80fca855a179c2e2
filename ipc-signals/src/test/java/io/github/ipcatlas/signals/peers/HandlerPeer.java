package io.github.ipcatlas.signals.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalWaiter;

/**
 * Handles the signals named in its arguments, printing {@code got SIGNAME} for each delivery, and exits after
 * {@code COUNT} deliveries. With {@code restore} it closes its handlers after printing {@code ready} and sleeps, so
 * the default action ends it.
 *
 * <p>Arguments: {@code COUNT|restore SIGNAL...}.
 */
public final class HandlerPeer {
    private HandlerPeer() {
    }

    public static void main(String[] args) throws Exception {
        List<Signal> signals = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            signals.add(Signal.parse(args[i]));
        }
        SignalWaiter waiter = SignalWaiter.open(signals.toArray(Signal[]::new));
        if (args[0].equals("restore")) {
            waiter.close();
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(60_000);
            System.out.println("still alive");
            return;
        }
        System.out.println("ready");
        System.out.flush();
        for (int n = Integer.parseInt(args[0]); n > 0; n--) {
            Optional<Signal> next = waiter.next(Duration.ofSeconds(30));
            System.out.println(next.map(s -> "got " + s.fullName()).orElse("timed out"));
            System.out.flush();
        }
        waiter.close();
    }
}
