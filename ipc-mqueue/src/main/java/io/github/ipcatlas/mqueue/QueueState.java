package io.github.ipcatlas.mqueue;

/**
 * A queue's attributes as {@code mq_getattr(3)} reports them now.
 *
 * @param maxMessages     capacity in messages
 * @param maxMessageSize  largest message in bytes
 * @param currentMessages messages waiting now
 * @param nonBlocking     whether this descriptor is in non-blocking mode ({@code O_NONBLOCK})
 */
public record QueueState(long maxMessages, long maxMessageSize, long currentMessages, boolean nonBlocking) {
}
