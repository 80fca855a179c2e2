package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.Access;
import io.github.ipcatlas.mqueue.MessageQueue;
import io.github.ipcatlas.mqueue.MqueueLimits;
import io.github.ipcatlas.mqueue.QueueAttributes;

/**
 * Two POSIX message queues, request and reply, between the benchmark and a child JVM that opens them by name. Both
 * names are unlinked as soon as both sides have the queues open, so nothing outlives the run. A zero-length message
 * marks the end of the conversation (queues have no end of stream).
 */
public final class MqMechanism implements Mechanism {
    /** Capacity of each queue, within the default fs.mqueue.msg_max of 10. */
    private static final int DEPTH = 10;

    @Override
    public String id() {
        return "mq";
    }

    @Override
    public String description() {
        return "POSIX message queues mq_send/mq_receive, one each way; both sides block in the kernel";
    }

    @Override
    public String cannotCarry(int size) {
        try {
            MqueueLimits limits = MqueueLimits.read();
            return size > limits.messageSizeMax() ? "messages are limited to fs.mqueue.msgsize_max = "
                    + limits.messageSizeMax() + " bytes (raise it with sysctl -w fs.mqueue.msgsize_max=" + size + ")"
                    : null;
        } catch (IOException e) {
            return "the message-queue limits cannot be read: " + e.getMessage();
        }
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        String request = IpcNames.unique("bench-mq-req");
        String reply = IpcNames.unique("bench-mq-rep");
        QueueAttributes attributes = QueueAttributes.of(DEPTH, mode.size());
        MessageQueue out = MessageQueue.create(request, attributes, MessageQueue.DEFAULT_MODE, Access.WRITE_ONLY);
        try {
            MessageQueue in = MessageQueue.create(reply, attributes, MessageQueue.DEFAULT_MODE, Access.READ_ONLY);
            return ChildConnection.start(ChildConnection.peer(this, mode, request, reply),
                    peer -> new QueueLink(in, out), in);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        } finally {
            // the peer has opened both (it printed ready) or failed: the names are no longer needed
            MessageQueue.unlinkIfExists(request);
            MessageQueue.unlinkIfExists(reply);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        MessageQueue in = MessageQueue.open(args.get(0), Access.READ_ONLY);
        try {
            return new QueueLink(in, MessageQueue.open(args.get(1), Access.WRITE_ONLY));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Messages are whole: a receive gets exactly one, and a zero-length message means the sender is done. */
    private static final class QueueLink implements Link {
        private static final ByteBuffer END = ByteBuffer.allocateDirect(0);

        private final MessageQueue in;
        private final MessageQueue out;
        private final ByteBuffer staging;

        QueueLink(MessageQueue in, MessageQueue out) {
            this.in = in;
            this.out = out;
            this.staging = ByteBuffer.allocateDirect((int) in.maxMessageSize());
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            out.send(message, 0);
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            // the kernel wants room for the largest message; `into` may be exactly one message long
            ByteBuffer target = into.remaining() >= in.maxMessageSize() ? into : staging.clear();
            int length = in.receive(target);
            if (length == 0) {
                throw new EOFException("the sender ended the conversation");
            }
            if (target == staging) {
                into.put(staging.flip());
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (out.isOpen()) {
                    out.trySend(END.duplicate(), 0);
                }
            } finally {
                out.close();
                in.close();
            }
        }
    }
}
