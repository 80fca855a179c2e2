package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalFd;
import io.github.ipcatlas.signals.SignalInfo;
import io.github.ipcatlas.signals.Signals;

/**
 * A real-time signal each way carrying the message's 4 bytes as its {@code sigqueue} value, read with
 * {@code signalfd}. The peer JVM is started with the signals blocked (the launcher {@code SignalFd} needs); the
 * benchmark's JVM was not, so its measuring thread blocks the signal for itself and the peer addresses that thread
 * ({@code rt_tgsigqueueinfo}). RTMIN+2 ends the conversation.
 *
 * <p>Both sides read with an untimed {@code read(2)} — a timed one would add a {@code poll(2)} per message, 10 %
 * here — and are woken instead if the other side dies: the peer asks for RTMIN+2 on its parent's death
 * ({@code PR_SET_PDEATHSIG}), and a watcher thread of the benchmark queues RTMIN+2 to the measuring thread when the
 * peer exits.
 */
public final class SignalRtMechanism implements Mechanism {
    static final Signal DATA = Signal.realtime(1);
    static final Signal END = Signal.realtime(2);

    @Override
    public String id() {
        return "signal-rt";
    }

    @Override
    public String description() {
        return "SIGRTMIN+1 each way with a 4-byte value, sigqueue(3) and signalfd(2); both sides block in read(2)";
    }

    @Override
    public int fixedMessageSize() {
        return 4;
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        SignalFd fd = SignalFd.openForCallingThread(DATA, END);
        long self = ProcessHandle.current().pid();
        int thread = SignalFd.currentThreadId();
        return ChildConnection.start(ChildConnection.peer(this, mode, String.valueOf(self), String.valueOf(thread))
                .blockSignals(DATA.number(), END.number()), peer -> {
                    RtLink link = new RtLink(fd, peer.pid(), 0);
                    link.wakeWhenExits(peer, self, thread);
                    return link;
                }, fd);
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        long benchmark = Long.parseLong(args.get(0));
        Signals.sendOnParentDeath(END, benchmark);
        return new RtLink(SignalFd.open(DATA, END), benchmark, Integer.parseInt(args.get(1)));
    }

    /** Sends to a process (tid 0) or to one thread of it; receives from its own signalfd. */
    private static final class RtLink implements Link {
        private final SignalFd fd;
        private final long otherPid;
        private final int otherThread;
        private final SignalInfo info = new SignalInfo();
        private boolean closed;
        /** On the benchmark side: the peer, which must be gone before this thread unblocks the signals. */
        private ChildProcess peer;

        RtLink(SignalFd fd, long otherPid, int otherThread) {
            this.fd = fd;
            this.otherPid = otherPid;
            this.otherThread = otherThread;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            int value = message.getInt(message.position());
            message.position(message.limit());
            if (otherThread == 0) {
                Signals.queue(otherPid, DATA, value);
            } else {
                SignalFd.queueToThread(otherPid, otherThread, DATA, value);
            }
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            fd.receive(info);
            if (info.signal() == END) {
                throw new EOFException("the other side sent " + END.fullName());
            }
            into.putInt(into.position(), info.value());
            into.position(into.position() + Integer.BYTES);
        }

        /** A daemon thread that ends a blocked receive with END once {@code peer} has exited, until closed. */
        void wakeWhenExits(ChildProcess peer, long self, int thread) {
            this.peer = peer;
            PeerExitWatcher.start(peer, "signal-rt peer watcher", () -> {
                synchronized (this) {
                    if (!closed) { // once closed, the thread no longer blocks END: it must not get one
                        SignalFd.queueToThread(self, thread, END, 0);
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                if (otherThread == 0) {
                    try {
                        Signals.queue(otherPid, END, 0);
                    } catch (IOException peerGone) {
                        // ESRCH: it has exited already, which is what we wait for below
                    }
                    // A reply still in flight would reach this thread after close unblocks DATA, and a real-time
                    // signal's default action ends the process: wait until the peer can send nothing more.
                    if (peer != null) {
                        try {
                            peer.awaitExit(ChildConnection.PEER_DEADLINE);
                        } catch (IOException stuck) {
                            peer.kill(9);
                            peer.awaitExit(ChildConnection.PEER_DEADLINE);
                        }
                    }
                }
            } finally {
                fd.close(); // reads away what is pending, then restores the mask
            }
        }
    }
}
