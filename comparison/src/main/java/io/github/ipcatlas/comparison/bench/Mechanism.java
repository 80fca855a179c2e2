package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.util.List;

/**
 * A communication mechanism the benchmark can measure. The benchmark side calls {@link #connect}, which starts the
 * peer (a child JVM running {@link EchoPeer}, or a thread) and returns the link to it; inside the peer JVM,
 * {@link EchoPeer} calls {@link #accept} with the arguments {@code connect} gave it.
 */
public interface Mechanism {
    /** The id used by {@code --mechanisms}, e.g. {@code pipe}. */
    String id();

    /** {@code process} or {@code thread}: what the two ends are. Processes unless said otherwise. */
    default String scope() {
        return "process";
    }

    /** One line: what is measured, and how the peer waits (blocking in the kernel, or spinning). */
    String description();

    /**
     * Why this mechanism cannot carry {@code size}-byte messages on this machine, or {@code null} if it can. The
     * benchmark skips such combinations and says so on stderr.
     */
    default String cannotCarry(int size) {
        return null;
    }

    /**
     * The one message size this mechanism carries, whatever {@code --sizes} asks ({@code 0} for a bare signal,
     * {@code 4} for a signal's queued value), or {@code -1} for any size.
     */
    default int fixedMessageSize() {
        return -1;
    }

    /**
     * Round trips (or streamed messages) to run untimed before measuring, at least, whatever {@code --warmup} says: a mechanism whose round
     * trip takes well under a microsecond needs many more of them than the default before the JIT has compiled its
     * whole path (the C baseline gets the same number).
     *
     * @param size the message size in bytes
     */
    default long minimumWarmup(int size) {
        return 0;
    }

    /**
     * Messages to stream in {@code --mode throughput}, at least, whatever {@code --messages} says: a mechanism that
     * moves tens of millions of messages a second would otherwise be measured over a few milliseconds, less than one
     * time slice of a busy machine (the C twin gets the same number).
     *
     * @param size the message size in bytes
     */
    default long minimumMessages(int size) {
        return 0;
    }

    /**
     * Why this mechanism cannot be measured streaming one way ({@code --mode throughput}), or {@code null} if it
     * can.
     */
    default String cannotStream() {
        return null;
    }

    /** Starts a peer in {@code mode} and returns the benchmark's link to it. */
    Connection connect(PeerMode mode) throws IOException;

    /** In the peer: opens the peer's side from the arguments {@link #connect} passed. */
    Link accept(List<String> args) throws IOException;

    /** The benchmark's side of a conversation with a started peer. */
    interface Connection extends AutoCloseable {
        /** The link to the peer. */
        Link link();

        /** The peer process's pid, or -1 when the peer is a thread of this JVM. */
        default long peerPid() {
            return -1;
        }

        /**
         * Closes the link so the peer sees end of stream, waits for it to exit, and returns the statistics line it
         * printed ({@link EchoPeer#STATS}).
         */
        PeerStats finish() throws IOException;

        /** Ends the peer however it is (killed if need be) and releases everything. */
        @Override
        void close() throws IOException;
    }
}
