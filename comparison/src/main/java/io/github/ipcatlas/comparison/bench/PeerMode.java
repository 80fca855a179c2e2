package io.github.ipcatlas.comparison.bench;

import java.util.List;

/**
 * What the peer does with the messages it gets.
 *
 * @param echo {@code true}: send every message back (latency); {@code false}: count {@code messages} messages,
 *             then send one back as the acknowledgement (throughput)
 * @param size the message size in bytes
 * @param messages for throughput, how many messages to expect; unused for echo
 */
public record PeerMode(boolean echo, int size, long messages) {

    /** An echo peer for {@code size}-byte messages. */
    public static PeerMode echo(int size) {
        return new PeerMode(true, size, 0);
    }

    /** A sink peer that acknowledges after {@code messages} messages of {@code size} bytes. */
    public static PeerMode sink(int size, long messages) {
        return new PeerMode(false, size, messages);
    }

    /** The arguments that carry this mode to {@link EchoPeer}. */
    public List<String> toArgs() {
        return List.of(echo ? "echo" : "sink", String.valueOf(size), String.valueOf(messages));
    }

    /** The inverse of {@link #toArgs()}, from {@code args} at {@code offset}. */
    public static PeerMode fromArgs(List<String> args, int offset) {
        return new PeerMode(args.get(offset).equals("echo"), Integer.parseInt(args.get(offset + 1)),
                Long.parseLong(args.get(offset + 2)));
    }
}
