package io.github.ipcatlas.comparison.bench;

import java.util.List;

/**
 * What the peer does with the messages it gets.
 *
 * @param echo {@code true}: send every message back (latency); {@code false}: count {@code messages} messages,
 *             then send one back as the acknowledgement (throughput)
 * @param size the message size in bytes
 * @param messages for throughput, how many measured messages to expect; unused for echo
 * @param warmup   for throughput, how many untimed messages come first (acknowledged too, if any); unused for echo
 * @param pinCpu   the CPU the peer's serving thread pins itself to, or -1 to leave it to the scheduler
 */
public record PeerMode(boolean echo, int size, long messages, long warmup, int pinCpu) {
    /** How many arguments {@link #toArgs()} produces. */
    public static final int ARGS = 5;

    /** An echo peer for {@code size}-byte messages, not told which of them are measured. */
    public static PeerMode echo(int size) {
        return echo(size, 0, 0);
    }

    /** An echo peer for {@code warmup} untimed round trips of {@code size} bytes, then {@code roundTrips} measured. */
    public static PeerMode echo(int size, long warmup, long roundTrips) {
        return new PeerMode(true, size, roundTrips, warmup, -1);
    }

    /** A sink peer that acknowledges after {@code messages} messages of {@code size} bytes. */
    public static PeerMode sink(int size, long messages) {
        return sink(size, 0, messages);
    }

    /**
     * A sink peer that takes {@code warmup} messages and acknowledges the last (if any), then {@code messages} more
     * and acknowledges the last of those.
     */
    public static PeerMode sink(int size, long warmup, long messages) {
        return new PeerMode(false, size, messages, warmup, -1);
    }

    /** This mode with the peer pinned to {@code cpu}. */
    public PeerMode pinnedTo(int cpu) {
        return new PeerMode(echo, size, messages, warmup, cpu);
    }

    /** The arguments that carry this mode to {@link EchoPeer}. */
    public List<String> toArgs() {
        return List.of(echo ? "echo" : "sink", String.valueOf(size), String.valueOf(messages), String.valueOf(warmup),
                String.valueOf(pinCpu));
    }

    /** The inverse of {@link #toArgs()}, from {@code args} at {@code offset}. */
    public static PeerMode fromArgs(List<String> args, int offset) {
        return new PeerMode(args.get(offset).equals("echo"), Integer.parseInt(args.get(offset + 1)),
                Long.parseLong(args.get(offset + 2)), Long.parseLong(args.get(offset + 3)),
                Integer.parseInt(args.get(offset + 4)));
    }
}
