package io.github.ipcatlas.comparison.bench;

/**
 * What a peer measured about itself: bytes it allocated and collections it saw while serving the measured messages;
 * for a sink, nanoseconds from the first to the last message received; and the CPU time its serving thread used over
 * the measured messages (an echo's: from its last warm-up echo to its last measured one; a sink's: over the same
 * span as {@code receiveNanos}), 0 if it was not told which messages were measured.
 */
public record PeerStats(long allocatedBytes, long gcCount, long receiveNanos, long cpuNanos) {

    /** Parses the {@link EchoPeer#STATS} line. */
    public static PeerStats parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 5 || !parts[0].equals(EchoPeer.STATS)) {
            throw new IllegalArgumentException("not a peer statistics line: \"" + line + "\"");
        }
        return new PeerStats(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                Long.parseLong(parts[4]));
    }

    /** The line a peer prints. */
    public String format() {
        return EchoPeer.STATS + " " + allocatedBytes + " " + gcCount + " " + receiveNanos + " " + cpuNanos;
    }
}
