package io.github.ipcatlas.threads;

/** Thrown by a {@link ClosableQueue} to a producer after {@code close()}, and to a consumer once it is also drained. */
public final class QueueClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public QueueClosedException(String message) {
        super(message);
    }
}
