package io.github.ipcatlas.mqueue;

/**
 * The size of a queue, fixed at creation: how many messages it holds ({@code mq_maxmsg}) and how large each may be
 * ({@code mq_msgsize}). The kernel charges {@code maxMessages × (maxMessageSize + 96)} bytes against the creating
 * user's {@code RLIMIT_MSGQUEUE} for as long as the queue exists.
 *
 * @param maxMessages    messages the queue holds before senders block (at least 1)
 * @param maxMessageSize largest message in bytes (at least 1)
 */
public record QueueAttributes(long maxMessages, long maxMessageSize) {

    /** Checks both values are positive. */
    public QueueAttributes {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages " + maxMessages + " must be at least 1");
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " must be at least 1");
        }
    }

    /** {@code maxMessages} messages of up to {@code maxMessageSize} bytes. */
    public static QueueAttributes of(long maxMessages, long maxMessageSize) {
        return new QueueAttributes(maxMessages, maxMessageSize);
    }
}
