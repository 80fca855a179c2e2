package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.pipes.EventFd;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * Two eventfds, one each way, inherited by the child JVM as descriptors 3 (in) and 4 (out): a message is the 4-byte
 * value plus one, added to the counter; {@link #END} ends the conversation. Both sides block in an untimed
 * {@code read(2)} on a blocking descriptor — one system call per message, as the C twin — and are woken instead if
 * the other side dies: the peer asks for {@code SIGKILL} on its parent's death ({@code PR_SET_PDEATHSIG}), and a
 * watcher thread of the benchmark adds {@link #END} when the peer exits. An eventfd merges what is added before a
 * take, so it carries one message in flight: no streaming.
 */
public final class EventFdMechanism implements Mechanism {
    private static final int PEER_IN = 3;
    private static final int PEER_OUT = 4;
    /** One above every message's count (a 4-byte value plus one is 1 to 2^32). */
    static final long END = (1L << 32) + 1;

    @Override
    public String id() {
        return "eventfd";
    }

    @Override
    public String description() {
        return "eventfd(2) counters, one each way, the message's 4 bytes as the count; both sides block in read(2)";
    }

    @Override
    public int fixedMessageSize() {
        return Integer.BYTES;
    }

    @Override
    public String cannotStream() {
        return "an eventfd adds up what arrives before a read: it carries one count at a time, not a stream";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        EventFd toPeer = EventFd.create(0, EventFd.Mode.COUNTER);
        EventFd fromPeer = null;
        try {
            fromPeer = EventFd.create(0, EventFd.Mode.COUNTER);
            EventFd in = fromPeer;
            toPeer.channel().setNonBlocking(false); // untimed reads block in read(2), without a poll first
            in.channel().setNonBlocking(false);
            String self = String.valueOf(ProcessHandle.current().pid());
            return ChildConnection.start(ChildConnection.peer(this, mode, self).inheritFd(toPeer.channel(), PEER_IN)
                    .inheritFd(in.channel(), PEER_OUT), peer -> {
                        CountLink link = new CountLink(in, toPeer);
                        link.wakeWhenExits(peer);
                        return link;
                    }, () -> {
                        toPeer.close();
                        in.close();
                    });
        } catch (IOException | RuntimeException e) {
            toPeer.close();
            if (fromPeer != null) {
                fromPeer.close();
            }
            throw e;
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(0))); // a blocked read would outlive it
        EventFd in = EventFd.inherited(PEER_IN, EventFd.Mode.COUNTER);
        EventFd out = EventFd.inherited(PEER_OUT, EventFd.Mode.COUNTER);
        in.channel().setNonBlocking(false); // inherited() made them non-blocking; one reader each: blocking is safe
        out.channel().setNonBlocking(false);
        return new CountLink(in, out);
    }

    /** Sends by adding the value plus one, receives by taking it. Not thread-safe: one thread per side. */
    private static final class CountLink implements Link {
        private final EventFd in;
        private final EventFd out;
        private boolean closed;

        CountLink(EventFd in, EventFd out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            long count = Integer.toUnsignedLong(message.getInt(message.position())) + 1;
            message.position(message.position() + Integer.BYTES);
            out.add(count);
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            long count = in.take();
            if (count == END) {
                throw new EOFException("the other side ended the conversation");
            }
            if (count < 1 || count > 1L << 32) { // two adds merged, or another process wrote into the counter
                throw new IOException("a count of " + Long.toUnsignedString(count) + " where 1 to 2^32 was expected");
            }
            into.putInt(into.position(), (int) (count - 1));
            into.position(into.position() + Integer.BYTES);
        }

        /** A daemon thread that ends a blocked receive with {@link #END} once {@code peer} has exited. */
        void wakeWhenExits(ChildProcess peer) {
            PeerExitWatcher.start(peer, "eventfd peer watcher", () -> {
                synchronized (this) {
                    if (!closed) {
                        in.add(END);
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
                out.add(END, Duration.ofSeconds(1));
            } finally {
                try {
                    out.close();
                } finally {
                    in.close();
                }
            }
        }
    }
}
