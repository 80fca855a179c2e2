package io.github.ipcatlas.comparison.bench;

/**
 * Latency under a fixed offered load ({@code --mode rate}): {@code messages} round trips of {@code sizeBytes} bytes
 * whose sends were scheduled {@code 1/ratePerSecond} apart, the latency of each counted from its <em>intended</em>
 * send time — so a message that had to wait for the ones before it shows that wait (coordinated omission corrected,
 * as HdrHistogram's users do it). {@code achievedPerSecond} is the rate actually held; below the requested one, the
 * mechanism could not keep up and the latencies grow with the backlog (a step that falls far behind stops early, so
 * {@code messages} may be fewer than asked). The {@code uncorrected} figures count from the actual send, as a
 * closed-loop benchmark does, for comparison. Times in nanoseconds.
 */
public record RateResult(String mechanism, String scope, int sizeBytes, double ratePerSecond, double achievedPerSecond,
                         long messages, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                         long uncorrectedP50Nanos, long uncorrectedP99Nanos, double allocatedBytesPerMessage) {

    /** Below this share of the requested rate, the rate counts as not held. */
    public static final double HELD = 0.95;

    /** Whether the mechanism kept up with the requested rate (within {@link #HELD}). */
    public boolean held() {
        return achievedPerSecond >= HELD * ratePerSecond;
    }
}
