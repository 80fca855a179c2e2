package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;

/**
 * Handing open descriptors to another process over a Unix domain socket ({@code SCM_RIGHTS}, {@code unix(7)}):
 * the receiver gets new descriptor numbers for the <i>same</i> open files — a pipe end, a shared-memory segment,
 * a listening socket, a file opened with rights the receiver lacks. Nothing is copied and nothing has a name, so
 * nothing is left behind; it is how systemd passes sockets to services and how privilege-separated daemons hand
 * out files.
 *
 * <p>The descriptors travel with at least one ordinary byte (on a stream socket, ancillary data rides on data).
 * Received descriptors are close-on-exec ({@code MSG_CMSG_CLOEXEC}) and owned by the caller. The JDK has no
 * {@code sendmsg}; this uses jnr-posix's, whose first use costs about 0.4 s.
 *
 * <p>Thread-safety: one sender and one receiver per socket at a time.
 */
public final class DescriptorPassing {
    /** The kernel's limit per message ({@code SCM_MAX_FD}). */
    public static final int MAX_DESCRIPTORS = 253;

    private DescriptorPassing() {
    }

    /** What one {@link #receive} got: the data bytes and the descriptors, now the caller's to close. */
    public record Received(int bytes, List<FdChannel> descriptors) {
    }

    /**
     * Sends {@code payload}'s remaining bytes (at least one) with {@code descriptors} on {@code socket}.
     *
     * @throws IllegalArgumentException for an empty payload, no or too many descriptors, or a negative one
     */
    public static void send(FdChannel socket, ByteBuffer payload, FdChannel... descriptors) throws IOException {
        Objects.requireNonNull(socket, "socket");
        if (!payload.hasRemaining()) {
            throw new IllegalArgumentException("descriptors must travel with at least one data byte");
        }
        if (descriptors.length == 0 || descriptors.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException(descriptors.length + " descriptors: send between 1 and "
                    + MAX_DESCRIPTORS);
        }
        DescriptorLease[] leases = new DescriptorLease[descriptors.length + 1]; // the numbers name our files until sent
        try {
            ByteBuffer fds = ByteBuffer.allocateDirect(4 * descriptors.length).order(ByteOrder.nativeOrder());
            for (int i = 0; i < descriptors.length; i++) {
                leases[i] = Objects.requireNonNull(descriptors[i], "descriptor").lease();
                fds.putInt(leases[i].fd());
            }
            leases[descriptors.length] = socket.lease();
            sendLeased(leases[descriptors.length].fd(), socket, payload, fds);
        } finally {
            DescriptorLease.closeAll(leases);
        }
    }

    private static void sendLeased(int socketFd, FdChannel socket, ByteBuffer payload, ByteBuffer fds)
            throws IOException {
        POSIX posix = SocketNative.posix();
        MsgHdr message = posix.allocateMsgHdr();
        ByteBuffer data = ByteBuffer.allocateDirect(payload.remaining()); // jnr-posix hands iovecs over by address
        data.put(payload.duplicate()).flip();
        message.setIov(new ByteBuffer[] {data});
        CmsgHdr control = message.allocateControl(fds.capacity());
        control.setLevel(SocketLibC.SOL_SOCKET);
        control.setType(SocketLibC.SCM_RIGHTS);
        control.setData(fds.flip());
        int sent = posix.sendmsg(socketFd, message, 0);
        if (sent < 0) {
            throw Errors.of("sendmsg(SCM_RIGHTS)", socket.description(), posix.errno());
        }
        payload.position(payload.position() + sent);
    }

    /**
     * Receives data into {@code payload} and up to {@code maxDescriptors} descriptors from {@code socket}, blocking.
     *
     * @return the bytes received ({@code 0} at end of stream) and the descriptors that came with them
     * @throws IOException if more descriptors came than {@code maxDescriptors} (the kernel closed the surplus,
     *     {@code MSG_CTRUNC})
     */
    public static Received receive(FdChannel socket, ByteBuffer payload, int maxDescriptors) throws IOException {
        Objects.requireNonNull(socket, "socket");
        if (maxDescriptors < 1 || maxDescriptors > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("maxDescriptors " + maxDescriptors + " is outside 1.."
                    + MAX_DESCRIPTORS);
        }
        if (!payload.hasRemaining()) {
            throw new IllegalArgumentException("the payload buffer is full");
        }
        POSIX posix = SocketNative.posix();
        MsgHdr message = posix.allocateMsgHdr();
        ByteBuffer data = ByteBuffer.allocateDirect(payload.remaining());
        message.setIov(new ByteBuffer[] {data});
        message.allocateControl(4 * maxDescriptors);
        int received;
        try (DescriptorLease lease = socket.lease()) {
            received = posix.recvmsg(lease.fd(), message, SocketLibC.MSG_CMSG_CLOEXEC);
        }
        if (received < 0) {
            throw Errors.of("recvmsg(SCM_RIGHTS)", socket.description(), posix.errno());
        }
        List<FdChannel> descriptors = new ArrayList<>();
        for (CmsgHdr control : message.getControls()) {
            if (control.getLevel() == SocketLibC.SOL_SOCKET && control.getType() == SocketLibC.SCM_RIGHTS) {
                ByteBuffer fds = control.getData().order(ByteOrder.nativeOrder());
                while (fds.remaining() >= 4) {
                    int fd = fds.getInt();
                    descriptors.add(new FdChannel(fd, "descriptor " + fd + " received on " + socket.description()));
                }
            }
        }
        payload.put(data.limit(received));
        if ((message.getFlags() & MSG_CTRUNC) != 0) {
            for (FdChannel descriptor : descriptors) {
                descriptor.close();
            }
            throw new IOException("recvmsg(" + socket.description() + "): more than " + maxDescriptors
                    + " descriptors came (MSG_CTRUNC); the kernel closed the rest");
        }
        return new Received(received, List.copyOf(descriptors));
    }

    private static final int MSG_CTRUNC = 0x8;
}
