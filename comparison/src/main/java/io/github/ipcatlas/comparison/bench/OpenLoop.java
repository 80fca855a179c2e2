package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * Round trips sent on a schedule instead of one after the other: message {@code i} is due at
 * {@code start + i / rate}, and its latency runs from that due time to its echo. When the mechanism falls behind, each
 * message leaves late and its latency includes the wait, as it would for a client with a fixed arrival rate; a
 * closed loop would instead slow its sending down and report only the time on the wire (coordinated omission). The
 * uncorrected latency, from the actual send, is kept beside it. Allocates nothing per message.
 */
final class OpenLoop {
    /** Waits longer than this sleep first, to leave the CPU to the peer, and spin only the last stretch. */
    private static final long SLEEP_ABOVE_NANOS = 200_000;
    private static final long SPIN_LAST_NANOS = 100_000;
    /** The shortest time a step may take before it stops early. */
    private static final long MIN_BUDGET_NANOS = 5_000_000_000L;

    private final Histogram corrected;
    private final Histogram uncorrected;
    private long elapsedNanos;

    OpenLoop(long highestTrackableNanos) {
        this.corrected = new Histogram(highestTrackableNanos, 3);
        this.uncorrected = new Histogram(highestTrackableNanos, 3);
    }

    /**
     * Sends up to {@code count} messages at {@code ratePerSecond}, each stamped and its echo checked, recording both
     * latencies; stops early once the messages due so far span twice the time the schedule gives them (and at least
     * {@value #MIN_BUDGET_NANOS} ns): a mechanism far behind would otherwise hold the run for ages.
     *
     * @return how many messages were sent
     */
    long run(Link link, ByteBuffer sent, ByteBuffer received, long count, double ratePerSecond, Progress progress)
            throws IOException {
        double interval = 1e9 / ratePerSecond;
        long budget = (long) Math.max(MIN_BUDGET_NANOS, Math.min(Long.MAX_VALUE / 4.0, 2 * count * interval));
        long highest = corrected.getHighestTrackableValue();
        long start = System.nanoTime();
        long done = start;
        long i = 0;
        for (; i < count && done - start < budget; i++) {
            long due = start + (long) (i * interval);
            waitUntil(due);
            BenchmarkRunner.stamp(sent, i);
            long sentAt = System.nanoTime();
            link.send(sent.clear());
            link.receive(received.clear());
            done = System.nanoTime();
            BenchmarkRunner.checkEcho(sent, received, i);
            corrected.recordValue(Math.min(done - due, highest));
            uncorrected.recordValue(Math.min(done - sentAt, highest));
            progress.update("open loop", i, count);
        }
        elapsedNanos = done - start;
        return i;
    }

    /** Messages a second actually sent and answered: {@code sent} over the time from the first due time to the last echo. */
    double achievedPerSecond(long sent) {
        return elapsedNanos > 0 ? sent * 1e9 / elapsedNanos : 0;
    }

    Histogram corrected() {
        return corrected;
    }

    Histogram uncorrected() {
        return uncorrected;
    }

    private static void waitUntil(long due) {
        for (long left; (left = due - System.nanoTime()) > 0; ) {
            if (left > SLEEP_ABOVE_NANOS) {
                LockSupport.parkNanos(left - SPIN_LAST_NANOS); // may oversleep: the latency from the due time shows it
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
