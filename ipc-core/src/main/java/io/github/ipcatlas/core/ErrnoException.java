package io.github.ipcatlas.core;

import java.io.IOException;

/**
 * A failed system call whose errno has no closer JDK exception type. The message has the form
 * {@code mq_open(/orders) failed: EINVAL (Invalid argument)}, optionally followed by a hint.
 *
 * @see Errors#of(String, String, int)
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String object;
    private final int errno;

    public ErrnoException(String call, String object, int errno, String message) {
        super(message);
        this.call = call;
        this.object = object;
        this.errno = errno;
    }

    /** The C function that failed, e.g. {@code mq_open}. */
    public String call() {
        return call;
    }

    /** What the call acted on: a path, an IPC name or a descriptor. */
    public String object() {
        return object;
    }

    /** The error number. */
    public int errno() {
        return errno;
    }

    /** The symbolic name of {@link #errno()}, e.g. {@code EINVAL}. */
    public String errnoName() {
        return Errors.errnoName(errno);
    }
}
