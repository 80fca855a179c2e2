package io.github.ipcatlas.sockets;

import java.io.IOException;

/**
 * A datagram was larger than the buffer offered for it. UDP keeps message boundaries: a datagram is received whole
 * or cut, never split across reads, so the bytes beyond the buffer are gone. The buffer holds the prefix that fit.
 */
public final class DatagramTruncatedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int datagramBytes;
    private final int bufferBytes;

    public DatagramTruncatedException(int datagramBytes, int bufferBytes) {
        super("a " + datagramBytes + "-byte datagram was truncated to the " + bufferBytes
                + " bytes of the receive buffer; the rest is lost");
        this.datagramBytes = datagramBytes;
        this.bufferBytes = bufferBytes;
    }

    /** The datagram's real size. */
    public int datagramBytes() {
        return datagramBytes;
    }

    /** What the buffer could take (and now holds). */
    public int bufferBytes() {
        return bufferBytes;
    }
}
