package io.github.ipcatlas.sockets;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.Deadline;

/**
 * The per-connection deadlines of a server — idle and message timeouts, as asked for and in nanoseconds (0: none) —
 * and how often to look for connections past them. Immutable.
 */
final class Timeouts {
    /** Default idle timeout of both servers. */
    static final Duration IDLE = Duration.ofMinutes(2);
    /** Default message timeout of both servers. */
    static final Duration MESSAGE = Duration.ofSeconds(30);

    private static final long SHORTEST_TICK = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LONGEST_TICK = TimeUnit.SECONDS.toNanos(1);

    final Duration idle;
    final Duration message;
    final long idleNanos;
    final long messageNanos;
    /**
     * How often to look for expired connections: a quarter of the shorter deadline, between 10 ms and 1 s, so a
     * connection is closed at most a quarter (or a second) late; 0 when there is no deadline at all.
     */
    final long tickNanos;

    Timeouts(Duration idle, Duration message) {
        this.idle = idle;
        this.message = message;
        this.idleNanos = Deadline.check(idle).toNanos();
        this.messageNanos = Deadline.check(message).toNanos();
        long shorter = idleNanos == 0 ? messageNanos
                : messageNanos == 0 ? idleNanos : Math.min(idleNanos, messageNanos);
        this.tickNanos = shorter == 0 ? 0 : Math.max(SHORTEST_TICK, Math.min(LONGEST_TICK, shorter / 4));
    }

    /**
     * {@code timeout} after checking it; {@link Duration#ZERO} means "no deadline".
     *
     * @throws IllegalArgumentException naming {@code name} and the value when it is negative
     */
    static Duration check(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " " + timeout + " is negative (Duration.ZERO means none)");
        }
        return timeout;
    }
}
