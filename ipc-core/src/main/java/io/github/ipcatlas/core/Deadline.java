package io.github.ipcatlas.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time on the monotonic clock ({@link System#nanoTime()}), made from a timeout. Wall-clock changes
 * never shorten or stretch it. Timeouts longer than a year are treated as a year, so arithmetic cannot overflow.
 *
 * <p>Immutable; thread-safe.
 */
public final class Deadline {
    private static final Duration LONGEST = Duration.ofDays(365);

    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    /**
     * The deadline {@code timeout} from now.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative (the message names it)
     */
    public static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + check(timeout).toNanos());
    }

    /**
     * Returns {@code timeout} capped at a year, after checking it is present and not negative.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Duration check(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        return timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout;
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, at - System.nanoTime());
    }

    /** Milliseconds left, rounded up so a wait never ends early and spins; never negative. */
    public int remainingMillis() {
        long nanos = remainingNanos();
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** The {@code System.nanoTime()} at which this deadline passes. */
    public long nanoTime() {
        return at;
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return at - System.nanoTime() <= 0;
    }
}
