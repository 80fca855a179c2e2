package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;

/**
 * Two connected Unix domain sockets with no name, from {@code socketpair(2)}: the socket equivalent of a pipe, but
 * bidirectional, and able to carry descriptors ({@link DescriptorPassing}) and credentials
 * ({@link PeerCredentials}). Hand one end to a child process (it survives {@code posix_spawn} as any descriptor
 * does) and keep the other. The JDK has no {@code socketpair}; this is a small jnr-ffi call.
 *
 * <p>{@link Type#DATAGRAM} gives Unix <i>datagrams</i>, which the JDK does not offer at all: reliable and ordered
 * (unlike UDP, nothing is dropped — a full receiver blocks the sender), with boundaries kept.
 * {@link Type#SEQPACKET} is the same with a connection: boundaries and end of stream.
 *
 * <p>Both ends are close-on-exec, so only a child they are handed to explicitly inherits them. Closing the pair
 * closes both ends; an end handed over can be closed on its own.
 */
public final class UnixSocketPair implements AutoCloseable {
    /** The socket type of both ends. */
    public enum Type {
        /** A byte stream, as TCP: no boundaries. */
        STREAM(SocketLibC.SOCK_STREAM),
        /** Datagrams: boundaries kept, reliable and ordered on Unix sockets. */
        DATAGRAM(SocketLibC.SOCK_DGRAM),
        /** Datagrams on a connection: boundaries and end of stream. */
        SEQPACKET(SocketLibC.SOCK_SEQPACKET);

        private final int value;

        Type(int value) {
            this.value = value;
        }
    }

    private final FdChannel first;
    private final FdChannel second;

    private UnixSocketPair(FdChannel first, FdChannel second) {
        this.first = first;
        this.second = second;
    }

    /** A connected pair of {@code type}. */
    public static UnixSocketPair open(Type type) throws IOException {
        Objects.requireNonNull(type, "type");
        int[] fds = new int[2];
        if (SocketNative.libc().socketpair(SocketLibC.AF_UNIX, type.value | SocketLibC.SOCK_CLOEXEC, 0, fds) != 0) {
            throw Errors.of("socketpair", "AF_UNIX " + type, Native.errno());
        }
        FdChannel first = null;
        try {
            first = new FdChannel(fds[0], "socketpair " + type.name().toLowerCase() + " end 1");
            return new UnixSocketPair(first, new FdChannel(fds[1], "socketpair " + type.name().toLowerCase()
                    + " end 2"));
        } catch (IOException | RuntimeException e) {
            if (first != null) {
                first.close();
            }
            throw e;
        }
    }

    /** One end. */
    public FdChannel first() {
        return first;
    }

    /** The other end. */
    public FdChannel second() {
        return second;
    }

    /** Closes both ends (those already closed are skipped). */
    @Override
    public void close() throws IOException {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
