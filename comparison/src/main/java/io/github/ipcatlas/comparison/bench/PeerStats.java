package io.github.ipcatlas.comparison.bench;

/**
 * What a peer measured about itself: bytes it allocated and collections it saw while serving the measured messages,
 * and, for a sink, nanoseconds from the first to the last message received.
 */
public record PeerStats(long allocatedBytes, long gcCount, long receiveNanos) {

    /** Parses the {@link EchoPeer#STATS} line. */
    public static PeerStats parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 4 || !parts[0].equals(EchoPeer.STATS)) {
            throw new IllegalArgumentException("not a peer statistics line: \"" + line + "\"");
        }
        return new PeerStats(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    }

    /** The line a peer prints. */
    public String format() {
        return EchoPeer.STATS + " " + allocatedBytes + " " + gcCount + " " + receiveNanos;
    }
}
