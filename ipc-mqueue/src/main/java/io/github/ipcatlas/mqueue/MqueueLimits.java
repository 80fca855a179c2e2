package io.github.ipcatlas.mqueue;

import java.io.IOException;
import java.nio.file.Path;

import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.mqueue.internal.MqLayout;
import io.github.ipcatlas.mqueue.internal.MqLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The kernel limits that decide which queues can be created ({@code mq_overview(7)}, "/proc interfaces"), read now.
 *
 * @param messagesMax        {@code /proc/sys/fs/mqueue/msg_max}: largest {@code maxMessages} (10 by default)
 * @param messageSizeMax     {@code /proc/sys/fs/mqueue/msgsize_max}: largest {@code maxMessageSize} (8192)
 * @param queuesMax          {@code /proc/sys/fs/mqueue/queues_max}: queues on the system (256)
 * @param messagesDefault    {@code msg_default}: {@code maxMessages} of a queue created without attributes
 * @param messageSizeDefault {@code msgsize_default}: {@code maxMessageSize} of a queue created without attributes
 * @param userBytesLimit     soft {@code RLIMIT_MSGQUEUE}: bytes all queues of one user may take (819200), or -1 for
 *                           no limit
 */
public record MqueueLimits(long messagesMax, long messageSizeMax, long queuesMax, long messagesDefault,
                           long messageSizeDefault, long userBytesLimit) {
    /** What the kernel charges per message slot besides the message itself (struct msg_msg + tree node). */
    static final long OVERHEAD_PER_MESSAGE = 96;
    private static final Path PROC = Path.of("/proc/sys/fs/mqueue");

    /** Reads the limits in force. */
    public static MqueueLimits read() throws IOException {
        return new MqueueLimits(proc("msg_max"), proc("msgsize_max"), proc("queues_max"), proc("msg_default"),
                proc("msgsize_default"), rlimit());
    }

    /** Bytes the kernel charges against {@code RLIMIT_MSGQUEUE} for a queue of these attributes. */
    public static long chargedBytes(QueueAttributes attributes) {
        return Math.multiplyExact(attributes.maxMessages(),
                Math.addExact(attributes.maxMessageSize(), OVERHEAD_PER_MESSAGE));
    }

    /**
     * Refuses attributes this system cannot grant, naming the limit, its value and how to raise it — instead of the
     * kernel's bare {@code EINVAL} or {@code EMFILE}.
     *
     * @throws IllegalArgumentException when a limit would be exceeded
     */
    public void check(QueueAttributes attributes) {
        if (attributes.maxMessages() > messagesMax) {
            throw new IllegalArgumentException("maxMessages " + attributes.maxMessages()
                    + " exceeds fs.mqueue.msg_max = " + messagesMax
                    + "; raise it with: sysctl -w fs.mqueue.msg_max=" + attributes.maxMessages());
        }
        if (attributes.maxMessageSize() > messageSizeMax) {
            throw new IllegalArgumentException("maxMessageSize " + attributes.maxMessageSize()
                    + " exceeds fs.mqueue.msgsize_max = " + messageSizeMax
                    + "; raise it with: sysctl -w fs.mqueue.msgsize_max=" + attributes.maxMessageSize());
        }
        long charged = chargedBytes(attributes);
        if (userBytesLimit >= 0 && charged > userBytesLimit) {
            throw new IllegalArgumentException("a queue of " + attributes.maxMessages() + " x "
                    + attributes.maxMessageSize() + " bytes is charged " + charged
                    + " bytes, more than RLIMIT_MSGQUEUE = " + userBytesLimit
                    + " bytes for all queues of this user; raise it with ulimit -q (or LimitMSGQUEUE= for a service)");
        }
    }

    /** The hint for {@code mq_open}'s {@code EMFILE}: which limit it usually is. */
    String emfileHint(QueueAttributes attributes) {
        return "RLIMIT_MSGQUEUE = " + userBytesLimit + " bytes for all queues of this user is probably used up"
                + (attributes == null ? "" : " (this queue needs " + chargedBytes(attributes) + ")")
                + "; unlink queues no longer needed or raise it with ulimit -q. (Or the process has as many "
                + "descriptors open as RLIMIT_NOFILE allows.)";
    }

    /** The hint for {@code mq_open}'s {@code ENOSPC}. */
    String enospcHint() {
        return "the system already has fs.mqueue.queues_max = " + queuesMax
                + " queues; unlink some or raise it with: sysctl -w fs.mqueue.queues_max=" + (queuesMax * 2);
    }

    private static long proc(String name) throws IOException {
        return ProcFs.readLong(PROC.resolve(name));
    }

    private static long rlimit() throws IOException {
        MqLibC libc = NativeLibrary.load(MqLibC.class, "c");
        Pointer limit = Memory.allocateDirect(Runtime.getRuntime(libc), MqLayout.RLIMIT_BYTES, true);
        if (libc.getrlimit(MqLayout.RLIMIT_MSGQUEUE, limit) != 0) {
            throw new IOException("getrlimit(RLIMIT_MSGQUEUE) failed");
        }
        long current = limit.getLong(MqLayout.RLIMIT_CURRENT);
        return current == MqLayout.RLIM_INFINITY ? -1 : current;
    }
}
