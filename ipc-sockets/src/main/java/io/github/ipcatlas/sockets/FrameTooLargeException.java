package io.github.ipcatlas.sockets;

import java.io.IOException;

/**
 * A peer announced (or sent without a delimiter) a message longer than this side accepts. Thrown before anything
 * is allocated for it; the stream is out of step afterwards and should be closed.
 */
public final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;

    public FrameTooLargeException(String what, long length, int limit) {
        super(what + " of " + length + " bytes exceeds the limit of " + limit + " bytes");
        this.length = length;
        this.limit = limit;
    }

    /** The announced length (for a delimited message: how much arrived without a delimiter). */
    public long length() {
        return length;
    }

    /** The largest message this side accepts. */
    public int limit() {
        return limit;
    }
}
