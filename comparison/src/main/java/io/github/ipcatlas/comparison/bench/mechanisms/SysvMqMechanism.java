package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;
import io.github.ipcatlas.sysv.MessageSelector;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvLimits;
import io.github.ipcatlas.sysv.SysvMessageQueue;

/**
 * One System V message queue carrying both directions, told apart by type: {@link #TO_PEER} requests and
 * {@link #TO_BENCHMARK} replies, each side receiving only its own type. The queue is {@code IPC_PRIVATE} (no key
 * to collide with) and its id goes to the peer on the command line; it is removed when the run ends. A zero-length
 * message ends the conversation. Both sides block in an untimed {@code msgrcv}, one system call per message as the
 * C twin; if the peer dies, a watcher removes the queue, which wakes the benchmark with {@code EIDRM}, and the peer
 * asks for {@code SIGKILL} on its parent's death.
 */
public final class SysvMqMechanism implements Mechanism {
    static final long TO_PEER = 1;
    static final long TO_BENCHMARK = 2;

    @Override
    public String id() {
        return "sysv-mq";
    }

    @Override
    public String description() {
        return "one System V message queue msgsnd/msgrcv, requests and replies told apart by type; both sides block in the kernel";
    }

    @Override
    public String cannotCarry(int size) {
        try {
            long max = SysvLimits.read().messageMax();
            return size > max ? "messages are limited to kernel.msgmax = " + max
                    + " bytes (raise it with sysctl -w kernel.msgmax=" + size + ")" : null;
        } catch (IOException e) {
            return "the System V limits cannot be read: " + e.getMessage();
        }
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        SysvMessageQueue queue = SysvMessageQueue.create(SysvKey.PRIVATE);
        int id = queue.id();
        String self = String.valueOf(ProcessHandle.current().pid());
        return ChildConnection.start(ChildConnection.peer(this, mode, String.valueOf(id), self), peer -> {
            TypedLink link = new TypedLink(queue, TO_PEER, TO_BENCHMARK);
            PeerExitWatcher.start(peer, "sysv-mq peer watcher", () -> removeQuietly(id));
            return link;
        }, queue, () -> removeQuietly(id));
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(1))); // a blocked msgrcv would outlive it
        return new TypedLink(SysvMessageQueue.ofId(Integer.parseInt(args.get(0))), TO_BENCHMARK, TO_PEER);
    }

    /** Removes queue {@code id} if it is still there: the run is over, or the peer died and a receive must wake. */
    private static void removeQuietly(int id) {
        try (SysvMessageQueue queue = SysvMessageQueue.ofId(id)) {
            queue.remove();
        } catch (IOException gone) {
            // removed already
        }
    }

    /** Sends with one type, receives the other. Not thread-safe: one thread per side. */
    private static final class TypedLink implements Link {
        private static final ByteBuffer END = ByteBuffer.allocateDirect(0);

        private final SysvMessageQueue queue;
        private final long sendType;
        private final MessageSelector receiving;

        TypedLink(SysvMessageQueue queue, long sendType, long receiveType) {
            this.queue = queue;
            this.sendType = sendType;
            this.receiving = MessageSelector.ofType(receiveType);
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            queue.send(sendType, message);
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            int expected = into.remaining();
            int before = into.position();
            queue.receive(into, receiving);
            int length = into.position() - before;
            if (length == 0) {
                throw new EOFException("the sender ended the conversation");
            }
            if (length != expected) {
                throw new IOException("a message of " + length + " bytes where " + expected + " were expected");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (queue.isOpen()) {
                    queue.trySend(sendType, END.duplicate());
                }
            } catch (IOException removed) {
                // the queue is gone (the peer died and the watcher removed it): nobody is left to tell
            } finally {
                queue.close();
            }
        }
    }
}
