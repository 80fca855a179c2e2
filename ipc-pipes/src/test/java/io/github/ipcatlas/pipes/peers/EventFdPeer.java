package io.github.ipcatlas.pipes.peers;

import java.time.Duration;

import io.github.ipcatlas.pipes.EventFd;

/**
 * The child side of the eventfd tests. Arguments:
 * <ul>
 *   <li>{@code echo N}: for N rounds, takes from the counter at descriptor 3 and adds what it took to the one at 4;</li>
 *   <li>{@code take-each N}: takes N times, one at a time, from the semaphore at descriptor 3, then prints the sum;</li>
 *   <li>{@code wait}: prints {@code ready}, then waits a minute for a count at descriptor 3 (to be killed in).</li>
 * </ul>
 */
public final class EventFdPeer {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private EventFdPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> {
                try (EventFd in = EventFd.inherited(3, EventFd.Mode.COUNTER);
                     EventFd out = EventFd.inherited(4, EventFd.Mode.COUNTER)) {
                    for (int i = 0, rounds = Integer.parseInt(args[1]); i < rounds; i++) {
                        long taken = in.take(DEADLINE);
                        if (taken == 0 || !out.add(taken, DEADLINE)) {
                            throw new IllegalStateException("round " + i + ": nothing within " + DEADLINE);
                        }
                    }
                }
            }
            case "take-each" -> {
                try (EventFd semaphore = EventFd.inherited(3, EventFd.Mode.SEMAPHORE)) {
                    long sum = 0;
                    for (int i = 0, times = Integer.parseInt(args[1]); i < times; i++) {
                        sum += semaphore.take(DEADLINE);
                    }
                    System.out.println("took " + sum);
                }
            }
            case "wait" -> {
                try (EventFd in = EventFd.inherited(3, EventFd.Mode.COUNTER)) {
                    System.out.println("ready");
                    System.out.flush();
                    in.take(Duration.ofMinutes(1));
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
