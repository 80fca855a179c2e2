package io.github.ipcatlas.comparison.bench;

/**
 * Round-trip latency of one mechanism at one message size. Times in nanoseconds. {@code allocatedBytesPerRoundTrip}
 * and {@code gcCount} are measured on the benchmark's thread around the measured loop alone. The peer cannot tell
 * warm-up from measurement, so it reports the bytes it allocated over its whole session
 * ({@code peerAllocatedBytes}): a constant that does not grow with the number of round trips means its loop
 * allocates nothing either (what it does allocate is the JIT's and class loading's one-time work).
 * {@code cpuNanosPerRoundTrip} is the CPU time the measuring thread used over the measured loop, per round trip, and
 * {@code peerCpuNanosPerRoundTrip} the peer's serving thread's over the same round trips: a spinning side costs a
 * core whatever the latency, a side asleep in the kernel costs nothing while it waits.
 * {@code nativeBaseline} holds the C ping-pong's figures for the same mechanism and size, or {@code null};
 * {@code spread}, with {@code --runs}, how the runs spread of which this is the median ({@link RunMedian}), or
 * {@code null}.
 */
public record LatencyResult(String mechanism, String scope, int sizeBytes, long roundTrips,
                            long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                            double meanNanos, double allocatedBytesPerRoundTrip, long gcCount,
                            long peerAllocatedBytes, long peerGcCount, double cpuNanosPerRoundTrip,
                            double peerCpuNanosPerRoundTrip, NativeBaseline.Baseline nativeBaseline,
                            RunSpread spread) {

    /** This result with the C ping-pong's figures for the same mechanism and size. */
    public LatencyResult withBaseline(NativeBaseline.Baseline baseline) {
        return new LatencyResult(mechanism, scope, sizeBytes, roundTrips, p50Nanos, p90Nanos, p99Nanos, p999Nanos,
                maxNanos, meanNanos, allocatedBytesPerRoundTrip, gcCount, peerAllocatedBytes, peerGcCount,
                cpuNanosPerRoundTrip, peerCpuNanosPerRoundTrip, baseline, spread);
    }

    /** This result as the median of runs that spread as {@code spread}. */
    public LatencyResult withSpread(RunSpread spread) {
        return new LatencyResult(mechanism, scope, sizeBytes, roundTrips, p50Nanos, p90Nanos, p99Nanos, p999Nanos,
                maxNanos, meanNanos, allocatedBytesPerRoundTrip, gcCount, peerAllocatedBytes, peerGcCount,
                cpuNanosPerRoundTrip, peerCpuNanosPerRoundTrip, nativeBaseline, spread);
    }

    /** Java's median over C's, or NaN without a baseline. */
    public double javaOverNativeP50() {
        return nativeBaseline == null ? Double.NaN : (double) p50Nanos / nativeBaseline.p50Nanos();
    }
}
