package io.github.ipcatlas.sockets;

import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_BASE;
import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_LEN;
import static io.github.ipcatlas.sockets.internal.MsgLayout.CMSG_DATA;
import static io.github.ipcatlas.sockets.internal.MsgLayout.CMSG_LEN;
import static io.github.ipcatlas.sockets.internal.MsgLayout.CMSG_LEVEL;
import static io.github.ipcatlas.sockets.internal.MsgLayout.CMSG_TYPE;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_CONTROL;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_CONTROLLEN;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_FLAGS;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_IOV;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_IOVLEN;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_NAME;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSG_NAMELEN;
import static io.github.ipcatlas.sockets.internal.MsgLayout.UCRED_GID;
import static io.github.ipcatlas.sockets.internal.MsgLayout.UCRED_PID;
import static io.github.ipcatlas.sockets.internal.MsgLayout.UCRED_UID;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;
import io.github.ipcatlas.core.linux.WriteBackOff;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A Unix domain datagram socket ({@code SOCK_DGRAM}, {@code unix(7)}) bound to a path or an abstract name, which the
 * JDK does not offer: whole datagrams, never reordered and never lost — unlike UDP, a sender waits while the
 * receiver's queue is full ({@code net.unix.max_dgram_qlen}) — each with the sender's address and, on request, its
 * kernel-vouched credentials ({@link #passCredentials}, {@code SCM_CREDENTIALS}). It is what {@code syslog} and
 * {@code systemd}'s notify socket use.
 *
 * <p>A path socket is made mode 0600 right after {@code bind} (on the file itself, never through a link) and removed
 * by {@link #close()} if it is still the file this socket made; an existing file at the path is refused. A datagram
 * longer than the receive buffer is an error ({@link DatagramTruncatedException}), never silently cut. Descriptors a
 * sender attaches ({@code SCM_RIGHTS}) are closed on arrival: this class does not take descriptors.
 *
 * <p>Every datagram is copied through per-thread native memory: a buffer whose memory was freed meanwhile (a closed
 * {@code Arena}'s, on JDK 22+) is then refused by the JDK's own copy instead of being written by the kernel.
 *
 * <p>Thread-safe: several threads may send and receive at once, each waiting on its own deadline (polls in 200-ms
 * slices, so a {@link #close()} ends them with {@code AsynchronousCloseException}). No buffer and no address object
 * is allocated per datagram (the sender's address object is reused while the sender stays the same); each call
 * makes a deadline and a descriptor lease.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    /** How long {@link #close()} waits for the calls it woke to return, so that the name is free when it returns. */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(5);

    private final UnixAddress address;
    private final FdChannel socket;
    private final Object fileKey;
    private volatile boolean closing;

    private UnixDatagramSocket(UnixAddress address, FdChannel socket, Object fileKey) {
        this.address = address;
        this.socket = socket;
        this.fileKey = fileKey;
    }

    /**
     * A socket bound to {@code address}.
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code EADDRINUSE} if the path exists or the name is taken
     */
    public static UnixDatagramSocket bind(UnixAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        FdChannel socket = open("datagram socket " + address);
        Object key = null;
        try {
            try (DescriptorLease lease = socket.lease()) {
                key = UnixBinding.bind(lease.fd(), address);
            }
            return new UnixDatagramSocket(address, socket, key);
        } catch (IOException | RuntimeException e) {
            socket.close();
            UnixBinding.removeIfOurs(address, key);
            throw e;
        }
    }

    /** A socket with no name: it can send, and receive replies only if connected (nobody can address it). */
    public static UnixDatagramSocket unbound() throws IOException {
        return new UnixDatagramSocket(null, open("unnamed datagram socket"), null);
    }

    private static FdChannel open(String description) throws IOException {
        int fd = SocketNative.libc().socket(SocketLibC.AF_UNIX, SocketLibC.SOCK_DGRAM | SocketLibC.SOCK_CLOEXEC
                | SocketLibC.SOCK_NONBLOCK, 0);
        if (fd < 0) {
            throw Errors.of("socket", "AF_UNIX datagram", Native.errno());
        }
        return new FdChannel(fd, description);
    }

    /** Where it is bound, or null for an unbound socket. */
    public UnixAddress address() {
        return address;
    }

    /**
     * Sends only to {@code peer} and receives only from it from now on ({@code connect(2)}); {@link #send(ByteBuffer,
     * Duration)} then needs no address.
     */
    public void connect(UnixAddress peer) throws IOException {
        Objects.requireNonNull(peer, "peer");
        Pointer native_ = peer.socketAddress();
        try (DescriptorLease lease = socket.lease()) {
            if (SocketNative.libc().connect(lease.fd(), native_, peer.socketLength()) != 0) {
                int errno = Native.errno();
                throw Errors.of("connect", peer.toString(), errno, errno == SocketLibC.ECONNREFUSED
                        ? "no datagram socket is bound there" : null);
            }
        }
    }

    /**
     * Asks the kernel to attach the sender's pid, uid and gid to every datagram received from now on
     * ({@code SO_PASSCRED}); {@link UnixDatagramSender} reports them.
     */
    public void passCredentials(boolean enable) throws IOException {
        Pointer value = Memory.allocateDirect(Native.runtime(), Integer.BYTES, true);
        value.putInt(0, enable ? 1 : 0);
        try (DescriptorLease lease = socket.lease()) {
            if (SocketNative.libc().setsockopt(lease.fd(), SocketLibC.SOL_SOCKET, SocketLibC.SO_PASSCRED, value,
                    Integer.BYTES) != 0) {
                throw Errors.of("setsockopt(SO_PASSCRED)", socket.description(), Native.errno());
            }
        }
    }

    /**
     * Sends {@code datagram}'s remaining bytes to {@code to} as one datagram, waiting at most {@code timeout} while
     * the receiver's queue is full, and advances its position.
     *
     * @return false if the queue stayed full until the deadline (nothing was sent)
     * @throws io.github.ipcatlas.core.ErrnoException {@code ECONNREFUSED} if nothing is bound at {@code to},
     *     {@code EMSGSIZE} if the datagram is larger than the socket's send buffer
     */
    public boolean send(ByteBuffer datagram, UnixAddress to, Duration timeout) throws IOException {
        Objects.requireNonNull(to, "to");
        return send(datagram, to, Deadline.after(timeout));
    }

    /** Sends to the connected peer; see {@link #send(ByteBuffer, UnixAddress, Duration)}. */
    public boolean send(ByteBuffer datagram, Duration timeout) throws IOException {
        return send(datagram, null, Deadline.after(timeout));
    }

    private boolean send(ByteBuffer datagram, UnixAddress to, Deadline deadline) throws IOException {
        Objects.requireNonNull(datagram, "datagram");
        DatagramScratch scratch = DatagramScratch.forThisThread();
        int length = datagram.remaining();
        ByteBuffer staging = scratch.staging(length).put(datagram.duplicate()); // the JDK's copy checks the memory
        long data = scratch.stagingAddress(staging);
        long target = to == null ? 0 : scratch.target(to);
        int targetLength = to == null ? 0 : scratch.targetLength();
        long backOff = 0;
        try (DescriptorLease lease = socket.lease()) {
            while (true) {
                prepare(scratch, data, length, target, targetLength, 0);
                long sent = SocketNative.libc().sendmsg(lease.fd(), scratch.address, SocketLibC.MSG_DONTWAIT);
                Reference.reachabilityFence(staging);
                if (sent >= 0) {
                    datagram.position(datagram.position() + length);
                    return true;
                }
                int errno = Native.errno();
                if (errno == Errors.EINTR) {
                    continue;
                }
                if (errno != Errors.EAGAIN) {
                    String where = to == null ? "the connected peer" : to.toString();
                    throw Errors.of("sendmsg", where, errno, errno == SocketLibC.ECONNREFUSED
                            ? "no datagram socket is bound there" : errno == SocketLibC.EMSGSIZE
                            ? "a datagram of " + length + " bytes is larger than the send buffer (net.core.wmem_max)"
                            : null);
                }
                if (deadline.expired()) {
                    return false;
                }
                backOff = WriteBackOff.pause(backOff, deadline.remainingNanos()); // the receiver's queue is full
            }
        }
    }

    /**
     * Receives one datagram into {@code into}, waiting at most {@code timeout}, and advances its position.
     *
     * @return its length, or -1 if none came before the deadline
     * @throws DatagramTruncatedException if it was longer than {@code into}'s remaining room (it is consumed)
     */
    public int receive(ByteBuffer into, Duration timeout) throws IOException {
        return receive(into, timeout, null);
    }

    /**
     * Receives as {@link #receive(ByteBuffer, Duration)} and tells who sent it: {@code sender} gets the address and,
     * with {@link #passCredentials}, the credentials.
     */
    public int receive(ByteBuffer into, Duration timeout, UnixDatagramSender sender) throws IOException {
        Objects.requireNonNull(into, "into");
        if (into.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only");
        }
        Deadline deadline = Deadline.after(timeout);
        DatagramScratch scratch = DatagramScratch.forThisThread();
        int room = into.remaining();
        ByteBuffer staging = scratch.staging(room);
        long data = scratch.stagingAddress(staging);
        while (true) {
            long received;
            try (DescriptorLease lease = socket.lease()) { // one slice per lease: a close never waits out a deadline
                if (!readableWithinSlice(lease.fd(), deadline)) {
                    if (deadline.expired()) {
                        return -1;
                    }
                    continue;
                }
                prepare(scratch, data, room, scratch.address + DatagramScratch.NAME, SocketLibC.SOCKADDR_UN_BYTES,
                        DatagramScratch.CONTROL_BYTES);
                received = SocketNative.libc().recvmsg(lease.fd(), scratch.address,
                        SocketLibC.MSG_DONTWAIT | SocketLibC.MSG_TRUNC | SocketLibC.MSG_CMSG_CLOEXEC);
            }
            Reference.reachabilityFence(staging);
            if (closing) { // the shutdown that woke the poll reads as an empty datagram: it is none
                throw new java.nio.channels.AsynchronousCloseException();
            }
            if (received < 0) {
                int errno = Native.errno();
                if (errno == Errors.EAGAIN || errno == Errors.EINTR) { // another thread took it, or a slice ended
                    continue;
                }
                throw Errors.of("recvmsg", socket.description(), errno);
            }
            boolean hasCredentials = readControl(scratch);
            if (received > room) {
                throw new DatagramTruncatedException((int) Math.min(received, Integer.MAX_VALUE), room);
            }
            into.put(into.position(), staging, 0, (int) received).position(into.position() + (int) received);
            if (sender != null) {
                ByteBuffer memory = scratch.memory;
                int credentials = DatagramScratch.CONTROL + CMSG_DATA;
                sender.set(scratch.sender(memory.getInt(DatagramScratch.HEADER + MSG_NAMELEN)), hasCredentials,
                        memory.getInt(credentials + UCRED_PID), memory.getInt(credentials + UCRED_UID),
                        memory.getInt(credentials + UCRED_GID));
            }
            return (int) received;
        }
    }

    /**
     * Waits up to one slice (and never past {@code deadline}) for a datagram, with this thread's own {@code pollfd}:
     * no lock, so other threads' waits do not hold this one up.
     *
     * @return whether one is there
     */
    private boolean readableWithinSlice(int fd, Deadline deadline) throws IOException {
        if (closing) {
            throw new java.nio.channels.AsynchronousCloseException();
        }
        int revents = PollFd.pollThisThread(fd, LinuxConstants.POLLIN,
                Math.min(PollFd.SLICE_MILLIS, deadline.remainingMillis()));
        if (revents < 0) {
            throw Errors.of("poll", socket.description(), Native.errno());
        }
        return revents != 0;
    }

    /**
     * Fills in the {@code msghdr} and its one {@code iovec}: {@code length} bytes at {@code data}, the address at
     * {@code name} (0: none), and {@code controlBytes} of room for control messages (0: none).
     */
    private static void prepare(DatagramScratch scratch, long data, int length, long name, int nameLength,
                                int controlBytes) {
        ByteBuffer memory = scratch.memory;
        long base = scratch.address;
        memory.putLong(DatagramScratch.IOVEC + IOVEC_BASE, data).putLong(DatagramScratch.IOVEC + IOVEC_LEN, length);
        memory.putLong(DatagramScratch.HEADER + MSG_NAME, name)
                .putInt(DatagramScratch.HEADER + MSG_NAMELEN, nameLength)
                .putLong(DatagramScratch.HEADER + MSG_IOV, base + DatagramScratch.IOVEC)
                .putLong(DatagramScratch.HEADER + MSG_IOVLEN, 1)
                .putLong(DatagramScratch.HEADER + MSG_CONTROL, controlBytes == 0 ? 0 : base + DatagramScratch.CONTROL)
                .putLong(DatagramScratch.HEADER + MSG_CONTROLLEN, controlBytes)
                .putInt(DatagramScratch.HEADER + MSG_FLAGS, 0);
    }

    /**
     * Walks the control messages {@code recvmsg} returned: moves credentials to the front of the control area (where
     * {@link #receive} reads them) and closes any descriptors a sender attached.
     *
     * @return whether credentials came
     */
    private static boolean readControl(DatagramScratch scratch) throws IOException {
        ByteBuffer memory = scratch.memory;
        long length = memory.getLong(DatagramScratch.HEADER + MSG_CONTROLLEN);
        boolean credentials = false;
        int offset = 0;
        while (offset + CMSG_DATA <= length && offset + CMSG_DATA <= DatagramScratch.CONTROL_BYTES) {
            int at = DatagramScratch.CONTROL + offset;
            long size = memory.getLong(at + CMSG_LEN);
            if (size < CMSG_DATA || offset + size > length) {
                break;
            }
            int level = memory.getInt(at + CMSG_LEVEL);
            int type = memory.getInt(at + CMSG_TYPE);
            if (level == SocketLibC.SOL_SOCKET && type == SocketLibC.SCM_RIGHTS) {
                for (int fd = at + CMSG_DATA; fd + Integer.BYTES <= at + size; fd += Integer.BYTES) {
                    Native.libc().close(memory.getInt(fd)); // we did not ask for them: never leak them
                }
            } else if (level == SocketLibC.SOL_SOCKET && type == SocketLibC.SCM_CREDENTIALS && size >= CMSG_DATA + 12
                    && !credentials) {
                for (int i = 0; i < 12; i++) {
                    memory.put(DatagramScratch.CONTROL + CMSG_DATA + i, memory.get(at + CMSG_DATA + i));
                }
                credentials = true;
            }
            offset += (int) ((size + 7) & ~7L);
        }
        return credentials;
    }

    /**
     * Closes the socket and removes its file if it is still the one it made; receives waiting in other threads end
     * with {@code AsynchronousCloseException} within 200 ms, and the name is free when this returns. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (!socket.isOpen()) {
            return;
        }
        closing = true;
        try (DescriptorLease lease = socket.lease()) {
            SocketNative.libc().shutdown(lease.fd(), SocketLibC.SHUT_RDWR); // wakes polls on it now
        } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
            return;
        }
        socket.close();
        // the receivers the shutdown woke return within their poll; the name is free once the last of them has
        socket.awaitClosed(CLOSE_WAIT);
        if (address != null) {
            UnixBinding.removeIfOurs(address, fileKey);
        }
    }

    @Override
    public String toString() {
        return "UnixDatagramSocket[" + (address == null ? "unnamed" : address) + (socket.isOpen() ? "" : ", closed") + "]";
    }
}
