package io.github.ipcatlas.sockets;

/**
 * Told by {@link FrameReader} and {@link DelimitedReader} where a message begins and ends on a channel that
 * implements it, so a server can bound how long a client may take to send one (a client that sends a byte a second
 * must not hold a connection for ever). The channel a {@link BlockingServer} hands its handler implements it.
 *
 * <p>Called by the thread that reads; implementations must be cheap and must not block or allocate.
 */
interface MessageClock {
    /** The first byte of a message has arrived. */
    void messageStarted();

    /** The message that had started is complete (or the reader gave up on it). */
    void messageEnded();

    /** Tells {@code channel}'s clock, if it has one, that a message started. */
    static void started(Object channel) {
        if (channel instanceof MessageClock clock) {
            clock.messageStarted();
        }
    }

    /** Tells {@code channel}'s clock, if it has one, that the message ended. */
    static void ended(Object channel) {
        if (channel instanceof MessageClock clock) {
            clock.messageEnded();
        }
    }
}
