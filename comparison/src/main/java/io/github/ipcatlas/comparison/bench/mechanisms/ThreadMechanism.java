package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.EchoPeer;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.PeerStats;

/**
 * A mechanism between two threads of this JVM: the peer is a thread running the same {@link EchoPeer#serve} loop a
 * child JVM runs, over two {@link OneWay} directions made by {@link #direction(int)}.
 */
abstract class ThreadMechanism implements Mechanism {
    /** Messages one direction can hold before the sender waits (matters for throughput only). */
    static final int SLOTS = 16;

    @Override
    public final String scope() {
        return "thread";
    }

    /** A new direction for {@code size}-byte messages. */
    abstract OneWay direction(int size);

    @Override
    public final Connection connect(PeerMode mode) {
        OneWay toPeer = direction(mode.size());
        OneWay fromPeer = direction(mode.size());
        CompletableFuture<PeerStats> peer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                peer.complete(EchoPeer.serve(new DuplexLink(toPeer, fromPeer), mode));
            } catch (Throwable t) {
                peer.completeExceptionally(t);
            }
        }, "bench-peer-" + id());
        thread.setDaemon(true);
        thread.start();
        Link link = new DuplexLink(fromPeer, toPeer);
        return new Connection() {
            @Override
            public Link link() {
                return link;
            }

            @Override
            public PeerStats finish() throws IOException {
                toPeer.close();
                try {
                    return peer.get(ChildConnection.PEER_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the peer thread");
                } catch (ExecutionException e) {
                    throw new IOException("the peer thread failed", e.getCause());
                } catch (TimeoutException e) {
                    throw new IOException("the peer thread did not finish in " + ChildConnection.PEER_DEADLINE, e);
                }
            }

            @Override
            public void close() {
                if (!peer.isDone()) {
                    thread.interrupt(); // a peer still waiting for a message gives up
                }
            }
        };
    }

    @Override
    public final Link accept(List<String> args) {
        throw new UnsupportedOperationException(id() + " connects two threads of one JVM; it has no peer process");
    }

    /** The two directions seen from one side. */
    private static final class DuplexLink implements Link {
        private final OneWay in;
        private final OneWay out;

        DuplexLink(OneWay in, OneWay out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            out.send(message);
        }

        @Override
        public void receive(ByteBuffer into) throws IOException {
            in.receive(into);
        }

        @Override
        public void close() {
            out.close();
        }
    }

    static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while handing a message over");
    }
}
