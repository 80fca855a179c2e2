package io.github.ipcatlas.comparison.bench;

/**
 * One-way streaming throughput of one mechanism at one message size. The sender's rate runs from the first send to
 * the peer's acknowledgement of the last message; the receiver's from its first to its last receive.
 */
public record ThroughputResult(String mechanism, String scope, int sizeBytes, long messages,
                               double messagesPerSecond, double megabytesPerSecond,
                               double receiverMessagesPerSecond, double allocatedBytesPerMessage, long gcCount) {
}
