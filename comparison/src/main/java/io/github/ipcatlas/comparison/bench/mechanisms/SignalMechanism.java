package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalWaiter;
import io.github.ipcatlas.signals.Signals;

/**
 * SIGUSR1 back and forth between two JVMs, each caught by a {@code sun.misc.Signal} handler that wakes the waiting
 * thread; SIGHUP ends the conversation. A signal carries no data: messages are 0 bytes.
 */
public final class SignalMechanism implements Mechanism {
    static final Signal PING = Signal.USR1;
    static final Signal END = Signal.HUP;

    @Override
    public String id() {
        return "signal";
    }

    @Override
    public String description() {
        return "SIGUSR1 each way, kill(2) and a sun.misc.Signal handler (a JVM thread per delivery); no payload";
    }

    @Override
    public int fixedMessageSize() {
        return 0;
    }

    @Override
    public String cannotStream() {
        return "standard signals merge while pending: a one-way stream would lose all but one";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        SignalWaiter waiter = SignalWaiter.open(PING);
        return ChildConnection.start(ChildConnection.peer(this, mode, String.valueOf(ProcessHandle.current().pid())),
                peer -> new SignalLink(waiter, peer.pid(), true), waiter);
    }

    @Override
    public Link accept(List<String> args) {
        return new SignalLink(SignalWaiter.open(PING, END), Long.parseLong(args.get(0)), false);
    }

    /** One side: sends PING to the other process, waits for PING from it. */
    private static final class SignalLink implements Link {
        private final SignalWaiter waiter;
        private final long otherPid;
        private final boolean endsConversation;
        private boolean closed;

        SignalLink(SignalWaiter waiter, long otherPid, boolean endsConversation) {
            this.waiter = waiter;
            this.otherPid = otherPid;
            this.endsConversation = endsConversation;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            Signals.send(otherPid, PING);
            message.position(message.limit());
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            try {
                Optional<Signal> next = waiter.next(ChildConnection.PEER_DEADLINE);
                if (next.isEmpty()) {
                    throw new IpcTimeoutException("waiting for " + PING.fullName(), ChildConnection.PEER_DEADLINE);
                }
                if (next.get() == END) {
                    throw new EOFException("the other side sent " + END.fullName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (endsConversation) {
                    Signals.send(otherPid, END);
                }
            } finally {
                waiter.close();
            }
        }
    }
}
