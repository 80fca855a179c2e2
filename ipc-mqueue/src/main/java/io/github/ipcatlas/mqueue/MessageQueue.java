package io.github.ipcatlas.mqueue;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CREAT;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_EXCL;
import static io.github.ipcatlas.mqueue.TimedTransfer.FOREVER;
import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_BYTES;
import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_CURMSGS;
import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_FLAGS;
import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_MAXMSG;
import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_MSGSIZE;
import static io.github.ipcatlas.mqueue.internal.MqLayout.MQ_PRIO_MAX;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.OwnedDescriptor;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A POSIX message queue ({@code mq_overview(7)}): a kernel object with a name such as {@code /orders} that keeps
 * whole messages — each with a priority — until some process receives them. Messages never merge or split, the
 * highest priority comes out first and, within one priority, the oldest; the queue outlives every process that
 * uses it until it is {@linkplain #unlink(String) unlinked} (or the machine reboots).
 *
 * <pre>{@code
 * try (MessageQueue queue = MessageQueue.create("/orders", QueueAttributes.of(10, 256))) {
 *     queue.send(ByteBuffer.wrap(bytes), 5);
 *     ByteBuffer in = ByteBuffer.allocateDirect(256);
 *     Delivery delivery = new Delivery();
 *     queue.receive(in, delivery);          // delivery.length(), delivery.priority()
 * } finally {
 *     MessageQueue.unlink("/orders");       // close() never removes the name
 * }
 * }</pre>
 *
 * <p><b>Would block is a result.</b> {@link #trySend} returns false on a full queue, {@link #tryReceive} returns -1
 * on an empty one, and the timed variants do the same at their deadline. Timeouts are measured on the monotonic
 * clock; the kernel wants an absolute {@code CLOCK_REALTIME} deadline, so it is recomputed if the wall clock jumps.
 * Interrupted calls ({@code EINTR}) are retried.
 *
 * <p><b>No garbage.</b> Send and receive take the caller's buffer; a direct buffer goes to the kernel by address,
 * a heap buffer is staged through one direct buffer per thread. Timed calls reuse a per-thread {@code timespec}.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use by any number of threads (the kernel serialises queue
 * operations). Actions before a send happen-before actions after the receive of that message, even across
 * processes, as the kernel's queue lock orders them. {@link #close()} is idempotent and never removes the name.
 */
public final class MessageQueue implements AutoCloseable {
    /** Mode of a queue created without an explicit one: owner read/write. */
    public static final int DEFAULT_MODE = 0600;
    /** Highest priority ({@code MQ_PRIO_MAX - 1}). */
    public static final int MAX_PRIORITY = MQ_PRIO_MAX - 1;

    private final String name;
    private final Access access;
    private final OwnedDescriptor descriptor;
    private final long maxMessages;
    private final long maxMessageSize;
    /** The send/receive system calls (mq_notify is SignalNotification). */
    private final TimedTransfer transfer;

    private MessageQueue(String name, Access access, int fd) throws IOException {
        this.name = name;
        this.access = access;
        this.descriptor = new OwnedDescriptor(fd);
        try {
            QueueState state = state();
            this.maxMessages = state.maxMessages();
            this.maxMessageSize = state.maxMessageSize();
        } catch (IOException | RuntimeException e) {
            descriptor.close();
            throw e;
        }
        this.transfer = new TimedTransfer(name, access, descriptor, maxMessageSize);
    }

    /**
     * Creates a new queue, read-write, mode {@code 0600}; fails if the name exists.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a queue of that name exists
     * @throws IllegalArgumentException for an invalid name, or attributes beyond this system's limits (the message
     *                                  names the limit and how to raise it)
     */
    public static MessageQueue create(String name, QueueAttributes attributes) throws IOException {
        return create(name, attributes, DEFAULT_MODE, Access.READ_WRITE);
    }

    /** Creates a new queue with {@code mode} (less the umask) and {@code access}; fails if the name exists. */
    public static MessageQueue create(String name, QueueAttributes attributes, int mode, Access access)
            throws IOException {
        return open(name, access, O_CREAT | O_EXCL, mode, Objects.requireNonNull(attributes, "attributes"));
    }

    /**
     * Opens the queue, creating it (read-write, mode {@code 0600}, {@code attributes}) if it does not exist. An
     * existing queue keeps its own attributes.
     */
    public static MessageQueue openOrCreate(String name, QueueAttributes attributes) throws IOException {
        return open(name, Access.READ_WRITE, O_CREAT, DEFAULT_MODE, Objects.requireNonNull(attributes, "attributes"));
    }

    /**
     * Opens an existing queue.
     *
     * @throws java.nio.file.NoSuchFileException if there is no queue of that name
     * @throws java.nio.file.AccessDeniedException if its mode does not allow {@code access}
     */
    public static MessageQueue open(String name, Access access) throws IOException {
        return open(name, access, 0, 0, null);
    }

    /**
     * Removes the name ({@code mq_unlink(3)}). Processes that have the queue open keep using it; the queue itself
     * goes when the last of them closes it.
     *
     * @throws java.nio.file.NoSuchFileException if there is no queue of that name
     */
    public static void unlink(String name) throws IOException {
        IpcNames.validate(name);
        if (MqBinding.MQ.mq_unlink(name) != 0) {
            throw Errors.of("mq_unlink", name, Native.errno());
        }
    }

    /** Removes the name if it exists; returns whether it did. */
    public static boolean unlinkIfExists(String name) throws IOException {
        IpcNames.validate(name);
        if (MqBinding.MQ.mq_unlink(name) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errors.ENOENT) {
            return false;
        }
        throw Errors.of("mq_unlink", name, errno);
    }

    private static MessageQueue open(String name, Access access, int createFlags, int mode,
                                     QueueAttributes attributes) throws IOException {
        IpcNames.validate(name);
        Objects.requireNonNull(access, "access");
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("queue mode " + Integer.toOctalString(mode) + " (octal) is outside 0..0777");
        }
        MqueueLimits limits = null;
        Pointer attr = null;
        if (attributes != null) {
            limits = MqueueLimits.read();
            limits.check(attributes);
            attr = Memory.allocateDirect(MqBinding.RUNTIME, ATTR_BYTES, true);
            attr.putLong(ATTR_MAXMSG, attributes.maxMessages());
            attr.putLong(ATTR_MSGSIZE, attributes.maxMessageSize());
        }
        int fd = MqBinding.MQ.mq_open(name, access.flags | createFlags, mode, attr);
        if (fd < 0) {
            int errno = Native.errno();
            throw Errors.of("mq_open", name, errno, openHint(errno, limits, attributes));
        }
        return new MessageQueue(name, access, fd);
    }

    private static String openHint(int errno, MqueueLimits limits, QueueAttributes attributes) {
        try {
            MqueueLimits known = limits != null ? limits : MqueueLimits.read();
            return switch (errno) {
                case Errors.EMFILE -> known.emfileHint(attributes);
                case Errors.ENOSPC -> known.enospcHint();
                case Errors.ENOENT -> "no queue of that name exists (create it, or check the name)";
                default -> null;
            };
        } catch (IOException unreadable) {
            return null;
        }
    }

    /** The queue's name. */
    public String name() {
        return name;
    }

    /** How this descriptor may use the queue. */
    public Access access() {
        return access;
    }

    /** Capacity in messages. */
    public long maxMessages() {
        return maxMessages;
    }

    /** Largest message in bytes; a receive buffer must have at least this much room. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The descriptor number, for messages and for code that alone may close the queue; to pass it to {@code poll(2)}
     * or another process while another thread might close the queue, use {@link #lease()}.
     */
    public int fd() throws ClosedChannelException {
        return descriptor.fd();
    }

    /**
     * Leases the queue's descriptor: its number names this queue until the lease is closed, even if another thread
     * closes the queue meanwhile.
     *
     * @throws ClosedChannelException if the queue is closed
     */
    public io.github.ipcatlas.core.DescriptorLease lease() throws ClosedChannelException {
        return descriptor.lease();
    }

    // ---- send --------------------------------------------------------------------------------------------------

    /**
     * Sends {@code message}'s remaining bytes with {@code priority}, waiting while the queue is full
     * ({@code mq_send(3)}).
     */
    public void send(ByteBuffer message, int priority) throws IOException {
        if (!transfer.send(message, priority, FOREVER)) {
            throw wouldBlock("mq_send");
        }
    }

    /**
     * Sends if there is room now.
     *
     * @return false when the queue is full
     */
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        return transfer.send(message, priority, 0);
    }

    /**
     * Sends, waiting at most {@code timeout} for room ({@code mq_timedsend(3)}).
     *
     * @return false when the queue stayed full until the deadline
     */
    public boolean send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        return transfer.send(message, priority, Deadline.check(timeout).toNanos());
    }

    // ---- receive -----------------------------------------------------------------------------------------------

    /**
     * Receives the oldest message of the highest priority into {@code buffer} (which needs
     * {@link #maxMessageSize()} bytes of room), waiting while the queue is empty ({@code mq_receive(3)}).
     *
     * @return the message length; the buffer's position has advanced by it
     */
    public int receive(ByteBuffer buffer) throws IOException {
        return receive(buffer, (Delivery) null);
    }

    /** {@link #receive(ByteBuffer)}, reporting length and priority in {@code delivery}. */
    public int receive(ByteBuffer buffer, Delivery delivery) throws IOException {
        int length = transfer.receive(buffer, FOREVER, delivery);
        if (length < 0) {
            throw wouldBlock("mq_receive");
        }
        return length;
    }

    /**
     * Receives a message if one is waiting.
     *
     * @return its length, or -1 when the queue is empty
     */
    public int tryReceive(ByteBuffer buffer) throws IOException {
        return transfer.receive(buffer, 0, null);
    }

    /** {@link #tryReceive(ByteBuffer)}, reporting length and priority in {@code delivery}. */
    public int tryReceive(ByteBuffer buffer, Delivery delivery) throws IOException {
        return transfer.receive(buffer, 0, delivery);
    }

    /**
     * Receives, waiting at most {@code timeout} ({@code mq_timedreceive(3)}).
     *
     * @return the length, or -1 when nothing came before the deadline
     */
    public int receive(ByteBuffer buffer, Duration timeout) throws IOException {
        return transfer.receive(buffer, Deadline.check(timeout).toNanos(), null);
    }

    /** {@link #receive(ByteBuffer, Duration)}, reporting length and priority in {@code delivery}. */
    public int receive(ByteBuffer buffer, Duration timeout, Delivery delivery) throws IOException {
        return transfer.receive(buffer, Deadline.check(timeout).toNanos(), delivery);
    }

    // ---- attributes --------------------------------------------------------------------------------------------

    /** The attributes now, including the number of waiting messages ({@code mq_getattr(3)}). */
    public QueueState state() throws IOException {
        int fd = descriptor.acquire();
        try {
            Pointer attr = NativeScratch.forThisThread().attr;
            if (MqBinding.MQ.mq_getattr(fd, attr) != 0) {
                throw Errors.of("mq_getattr", name, Native.errno());
            }
            return new QueueState(attr.getLong(ATTR_MAXMSG), attr.getLong(ATTR_MSGSIZE), attr.getLong(ATTR_CURMSGS),
                    (attr.getLong(ATTR_FLAGS) & LinuxConstants.O_NONBLOCK) != 0);
        } finally {
            descriptor.release();
        }
    }

    /**
     * Switches this descriptor's non-blocking mode ({@code mq_setattr(3)}). In non-blocking mode {@link #send} and
     * {@link #receive(ByteBuffer)} fail with {@code EAGAIN} instead of waiting; the try and timed variants behave
     * the same in both modes.
     */
    public void setNonBlocking(boolean nonBlocking) throws IOException {
        int fd = descriptor.acquire();
        try {
            Pointer attr = NativeScratch.forThisThread().attr;
            attr.putLong(ATTR_FLAGS, nonBlocking ? LinuxConstants.O_NONBLOCK : 0);
            if (MqBinding.MQ.mq_setattr(fd, attr, null) != 0) {
                throw Errors.of("mq_setattr", name, Native.errno());
            }
        } finally {
            descriptor.release();
        }
    }

    /**
     * Asks the kernel to send {@code signal} to this process when a message arrives on the empty queue
     * ({@code mq_notify(3)} with {@code SIGEV_SIGNAL}) — the classic alternative to polling, and an awkward one in a
     * JVM: the registration is one-shot (re-register in the handler, and messages that arrive meanwhile raise
     * nothing), it fires only on the empty → non-empty transition and only if no thread is blocked in a receive,
     * only one process per queue may be registered ({@code EBUSY}), and the handler runs on the JVM's signal
     * dispatcher thread ({@code sun.misc.Signal}), which must not block. Prefer {@link MessageQueues#awaitReceivable}.
     *
     * @param signal a signal number from 1 to 64 that this process handles (for example 10, SIGUSR1)
     * @throws java.nio.file.AccessDeniedException or {@code EBUSY} if another registration exists
     */
    public void notifyBySignal(int signal) throws IOException {
        SignalNotification.register(descriptor, name, signal);
    }

    /** Removes this process's {@link #notifyBySignal} registration ({@code mq_notify(3)} with NULL). */
    public void cancelNotification() throws IOException {
        SignalNotification.cancel(descriptor, name);
    }

    /** Closes this descriptor ({@code mq_close(3)}); the queue and its messages stay. Idempotent. */
    @Override
    public void close() {
        descriptor.close();
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return descriptor.isOpen();
    }

    @Override
    public String toString() {
        return "MessageQueue[" + name + ", " + access + ", " + maxMessages + " x " + maxMessageSize + " bytes, "
                + descriptor + "]";
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private static IOException wouldBlock(String call) {
        return new IOException(call + " would block: the descriptor is in non-blocking mode");
    }
}
