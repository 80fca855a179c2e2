package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.SysvBinding.SYSV;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_NOWAIT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_SET;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSGBUF_TEXT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_CBYTES;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_CTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_LRPID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_LSPID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_QBYTES;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_QNUM;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_RTIME;
import static io.github.ipcatlas.sysv.internal.SysvLayout.MSG_STIME;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;

/**
 * A System V message queue ({@code msgget(2)}, {@code msgsnd(2)}, {@code msgrcv(2)}, {@code msgctl(2)}): whole
 * messages, each with a positive <em>type</em> that a receiver can select on ({@link MessageSelector}), in a queue
 * that lives in the kernel until {@link #remove() removed} — not when the last process exits.
 *
 * <p>Compared with a POSIX queue ({@code ipc-mqueue}): types instead of priorities, and selection by type, so one
 * queue can carry several conversations; a capacity in bytes ({@code msg_qbytes}) rather than in messages; but no
 * descriptor, so no {@code poll}, no notification, and no timeout: a timed call here tries without blocking and
 * pauses between tries ({@link PollingWait}: it reacts within about a millisecond), while an untimed call blocks in
 * the kernel, where {@link Thread#interrupt()} cannot reach it ({@link #remove()} from another thread or process
 * wakes it with {@code EIDRM}).
 *
 * <p>Limits: a message's text is at most {@code kernel.msgmax} bytes (8192 by default), a new queue holds
 * {@code kernel.msgmnb} bytes (16384) — see {@link SysvLimits}.
 *
 * <p>Thread-safe. Sending and receiving allocate nothing: the {@code struct msgbuf} is per-thread native memory.
 */
public final class SysvMessageQueue extends SysvHandle {
    private static final String KIND = "message queue";
    private static final long FOREVER = -1;
    private static volatile long messageMax;

    private SysvMessageQueue(SysvKey key, int id) {
        super(KIND, key, id);
    }

    /** Creates a queue with mode 0600; fails if one with {@code key} exists. {@link SysvKey#PRIVATE} makes a new one. */
    public static SysvMessageQueue create(SysvKey key) throws IOException {
        return create(key, DEFAULT_MODE);
    }

    /**
     * Creates a queue with permission bits {@code mode} ({@code IPC_CREAT | IPC_EXCL}).
     *
     * @throws java.nio.file.FileAlreadyExistsException if a queue with {@code key} exists
     * @throws IllegalArgumentException                  if {@code mode} is outside 0..0777
     */
    public static SysvMessageQueue create(SysvKey key, int mode) throws IOException {
        return get(key, Disposition.CREATE, mode);
    }

    /**
     * Opens the queue that has {@code key}.
     *
     * @throws NoSuchFileException      if there is none
     * @throws IllegalArgumentException if {@code key} is {@link SysvKey#PRIVATE}, which names no existing queue
     */
    public static SysvMessageQueue open(SysvKey key) throws IOException {
        return get(key, Disposition.OPEN, 0);
    }

    /** Opens the queue that has {@code key}, creating it with {@code mode} if there is none. */
    public static SysvMessageQueue openOrCreate(SysvKey key, int mode) throws IOException {
        return get(key, Disposition.OPEN_OR_CREATE, mode);
    }

    /**
     * Opens a queue by its id, as {@code ipcs -q} prints it or as its creator passed it (the only way to reach a
     * {@link SysvKey#PRIVATE} queue from another process).
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static SysvMessageQueue ofId(int id) throws IOException {
        if (id < 0) {
            throw new IllegalArgumentException("message queue id " + id + " is negative");
        }
        return new SysvMessageQueue(keyOf(statById("msgctl", SYSV::msgctl, id, KIND, KIND + " id " + id)), id);
    }

    /**
     * Removes the queue with {@code key} if there is one.
     *
     * @return whether a queue was removed
     */
    public static boolean removeIfExists(SysvKey key) throws IOException {
        try (SysvMessageQueue queue = open(key)) {
            queue.remove();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static SysvMessageQueue get(SysvKey key, Disposition disposition, int mode) throws IOException {
        int id = get("msgget", KIND, key, disposition, mode, SYSV::msgget,
                "every message queue the namespace allows exists already (kernel.msgmni); remove some (ipcrm) or raise it",
                null);
        return new SysvMessageQueue(key, id);
    }

    /**
     * Sends {@code message}'s remaining bytes as one message of {@code type}, blocking while the queue is full
     * ({@code msgsnd}), and advances its position.
     *
     * @throws IllegalArgumentException if {@code type} is not positive or the message is longer than
     *                                  {@code kernel.msgmax}
     * @throws IOException              if the message can never fit ({@code msg_qbytes} smaller than it), or the
     *                                  queue is removed meanwhile ({@code EIDRM})
     */
    public void send(long type, ByteBuffer message) throws IOException {
        send(type, message, FOREVER);
    }

    /** Sends as {@link #send(long, ByteBuffer)} unless the queue is full. @return false if it was full */
    public boolean trySend(long type, ByteBuffer message) throws IOException {
        return send(type, message, 0);
    }

    /**
     * Sends as {@link #send(long, ByteBuffer)}, waiting at most {@code timeout} for room (by polling, see above).
     *
     * @return false if the queue stayed full until the deadline
     */
    public boolean send(long type, ByteBuffer message, Duration timeout) throws IOException {
        return send(type, message, Deadline.check(timeout).toNanos());
    }

    /**
     * Receives the message {@code selector} picks into {@code into}, blocking until there is one
     * ({@code msgrcv}), and advances {@code into}'s position by its length.
     *
     * @return the message's type
     * @throws IOException if the next matching message is longer than {@code into}'s remaining room (it stays in
     *                     the queue), or the queue is removed meanwhile ({@code EIDRM})
     */
    public long receive(ByteBuffer into, MessageSelector selector) throws IOException {
        return receive(into, selector, FOREVER);
    }

    /** Receives as {@link #receive(ByteBuffer, MessageSelector)} if a matching message is there. @return its type, or -1 */
    public long tryReceive(ByteBuffer into, MessageSelector selector) throws IOException {
        return receive(into, selector, 0);
    }

    /**
     * Receives as {@link #receive(ByteBuffer, MessageSelector)}, waiting at most {@code timeout} (by polling).
     *
     * @return the message's type, or -1 if none came before the deadline
     */
    public long receive(ByteBuffer into, MessageSelector selector, Duration timeout) throws IOException {
        return receive(into, selector, Deadline.check(timeout).toNanos());
    }

    /** The queue's state ({@code IPC_STAT}). */
    public MessageQueueStatus status() throws IOException {
        ByteBuffer ds = stat();
        return new MessageQueueStatus(keyOf(ds), permissionsOf(ds), ds.getLong(MSG_QNUM), ds.getLong(MSG_CBYTES),
                ds.getLong(MSG_QBYTES), ds.getInt(MSG_LSPID), ds.getInt(MSG_LRPID), timeOf(ds, MSG_STIME),
                timeOf(ds, MSG_RTIME), timeOf(ds, MSG_CTIME));
    }

    /**
     * Sets the queue's capacity in bytes ({@code msg_qbytes}, through {@code IPC_SET}). Anyone who may change the
     * queue may lower it; raising it above {@code kernel.msgmnb} needs {@code CAP_SYS_RESOURCE}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public void setMaxBytes(long bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("queue capacity " + bytes + " bytes is not positive");
        }
        ByteBuffer ds = stat();
        ds.putLong(MSG_QBYTES, bytes);
        if (SYSV.msgctl(id(), IPC_SET, SysvScratch.forThisThread().dsAddress) == -1) {
            int errno = Native.errno();
            throw errno == Errors.EPERM ? Errors.of("msgctl(IPC_SET)", label(), errno, "raising msg_qbytes to " + bytes
                    + " above kernel.msgmnb needs CAP_SYS_RESOURCE; raise kernel.msgmnb instead")
                    : failure("msgctl(IPC_SET)", errno);
        }
    }

    @Override
    int control(int command, long address) {
        return SYSV.msgctl(id(), command, address);
    }

    @Override
    String controlName() {
        return "msgctl";
    }

    /** One send; {@code timeoutNanos} is {@link #FOREVER}, 0 (try once) or how long to keep trying. */
    private boolean send(long type, ByteBuffer message, long timeoutNanos) throws IOException {
        Objects.requireNonNull(message, "message");
        if (type <= 0) {
            throw new IllegalArgumentException("message type " + type + " must be positive");
        }
        int length = message.remaining();
        long max = messageMax(length);
        if (length > max) {
            throw new IllegalArgumentException("message of " + length + " bytes is longer than kernel.msgmax = " + max
                    + "; raise it with sysctl -w kernel.msgmax=" + length);
        }
        ensureOpen();
        SysvScratch scratch = SysvScratch.forThisThread();
        ByteBuffer buffer = scratch.message(length);
        buffer.putLong(0, type).put(MSGBUF_TEXT, message, message.position(), length);
        long address = scratch.messageAddress();
        long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
        for (int attempt = 0; ; attempt++) {
            // the first try never blocks, so a message that can never fit is reported instead of waiting forever
            int flags = timeoutNanos == FOREVER && attempt > 0 ? 0 : IPC_NOWAIT;
            if (SYSV.msgsnd(id(), address, length, flags) == 0) {
                message.position(message.position() + length);
                return true;
            }
            int errno = Native.errno();
            if (errno == Errors.EINTR) {
                continue;
            }
            if (errno != Errors.EAGAIN) {
                throw failure("msgsnd", errno);
            }
            if (attempt == 0) {
                checkCanFit(length);
            }
            if (timeoutNanos == 0 || (timeoutNanos > 0 && !PollingWait.pause(attempt, deadline))) {
                return false;
            }
        }
    }

    private void checkCanFit(int length) throws IOException {
        long capacity;
        try {
            capacity = status().maxBytes();
        } catch (java.nio.file.AccessDeniedException writeOnly) { // IPC_STAT needs read permission: cannot tell
            return;
        }
        if (length > capacity) {
            throw new IOException("msgsnd(" + label() + "): a message of " + length
                    + " bytes can never fit: the queue holds at most msg_qbytes = " + capacity + " bytes (the kernel"
                    + " would wait for ever, not fail)");
        }
    }

    /** One receive; {@code timeoutNanos} as for {@link #send(long, ByteBuffer, long)}. */
    private long receive(ByteBuffer into, MessageSelector selector, long timeoutNanos) throws IOException {
        Objects.requireNonNull(into, "into");
        Objects.requireNonNull(selector, "selector");
        if (into.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only");
        }
        ensureOpen();
        // no message is longer than kernel.msgmax, so no more room than that is ever needed
        int room = (int) Math.min(into.remaining(), messageMax(0));
        SysvScratch scratch = SysvScratch.forThisThread();
        ByteBuffer buffer = scratch.message(room);
        long address = scratch.messageAddress();
        long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
        int flags = selector.flags() | (timeoutNanos == FOREVER ? 0 : IPC_NOWAIT);
        for (int attempt = 0; ; attempt++) {
            long length = SYSV.msgrcv(id(), address, room, selector.msgtyp(), flags);
            if (length >= 0) {
                into.put(into.position(), buffer, MSGBUF_TEXT, (int) length).position(into.position() + (int) length);
                return buffer.getLong(0);
            }
            int errno = Native.errno();
            if (errno == Errors.EINTR) {
                continue;
            }
            if (errno == Errors.E2BIG) {
                if (room < into.remaining() && messageMax(room + 1) > room) { // kernel.msgmax was raised meanwhile
                    room = (int) Math.min(into.remaining(), messageMax(0));
                    buffer = scratch.message(room);
                    address = scratch.messageAddress();
                    attempt--;
                    continue;
                }
                throw Errors.of("msgrcv", label(), errno, "the next message of " + selector + " is longer than the "
                        + room + " bytes of room given; it stays in the queue");
            }
            if (errno != Errors.ENOMSG) {
                throw failure("msgrcv", errno);
            }
            if (timeoutNanos == 0 || !PollingWait.pause(attempt, deadline)) {
                return -1;
            }
        }
    }

    /** {@code kernel.msgmax}, read again when {@code length} exceeds what was read before (it may have been raised). */
    private static long messageMax(int length) throws IOException {
        long max = messageMax;
        if (max == 0 || length > max) {
            max = SysvLimits.read().messageMax();
            messageMax = max;
        }
        return max;
    }
}
