package io.github.ipcatlas.core;

import java.io.IOException;
import java.time.Duration;

/** An operation with a deadline did not complete before it. The message names the operation and the deadline. */
public class IpcTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public IpcTimeoutException(String operation, Duration timeout) {
        super(operation + " timed out after " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** The deadline that passed. */
    public Duration timeout() {
        return timeout;
    }
}
