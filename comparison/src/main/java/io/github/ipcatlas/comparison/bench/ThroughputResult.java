package io.github.ipcatlas.comparison.bench;

/**
 * One-way streaming throughput of one mechanism at one message size, measured after an untimed warm-up stream. The
 * sender's rate runs from the first send to the peer's acknowledgement of the last message; the receiver's from its
 * first to its last receive. {@code cpuNanosPerMessage} is the CPU time the sending thread used over the measured
 * stream, per message, and {@code peerCpuNanosPerMessage} the receiving thread's, from its first to its last receive.
 * {@code nativeBaseline} holds the C twin's figures for the same mechanism and size, or {@code null};
 * {@code spread}, with {@code --runs}, how the runs spread of which this is the median ({@link RunMedian}), or
 * {@code null}.
 */
public record ThroughputResult(String mechanism, String scope, int sizeBytes, long messages,
                               double messagesPerSecond, double megabytesPerSecond,
                               double receiverMessagesPerSecond, double allocatedBytesPerMessage, long gcCount,
                               double cpuNanosPerMessage, double peerCpuNanosPerMessage,
                               NativeBaseline.ThroughputBaseline nativeBaseline, RunSpread spread) {

    /** This result with the C twin's figures for the same mechanism and size. */
    public ThroughputResult withBaseline(NativeBaseline.ThroughputBaseline baseline) {
        return new ThroughputResult(mechanism, scope, sizeBytes, messages, messagesPerSecond, megabytesPerSecond,
                receiverMessagesPerSecond, allocatedBytesPerMessage, gcCount, cpuNanosPerMessage, peerCpuNanosPerMessage,
                baseline, spread);
    }

    /** This result as the median of runs that spread as {@code spread}. */
    public ThroughputResult withSpread(RunSpread spread) {
        return new ThroughputResult(mechanism, scope, sizeBytes, messages, messagesPerSecond, megabytesPerSecond,
                receiverMessagesPerSecond, allocatedBytesPerMessage, gcCount, cpuNanosPerMessage, peerCpuNanosPerMessage,
                nativeBaseline, spread);
    }

    /** Java's messages per second over C's (higher is better), or NaN without a baseline. */
    public double javaOverNative() {
        return nativeBaseline == null ? Double.NaN : messagesPerSecond / nativeBaseline.messagesPerSecond();
    }
}
