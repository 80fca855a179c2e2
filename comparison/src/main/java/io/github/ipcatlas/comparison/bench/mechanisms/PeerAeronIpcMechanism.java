package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.util.List;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.ThreadingMode;
import io.aeron.protocol.DataHeaderFlyweight;
import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * A peer library, not ours: Aeron's {@code aeron:ipc} between two JVMs, one exclusive publication each way (one
 * publishing thread each, as Aeron advises for a single writer), both sides <b>spinning</b> in {@code offer} and
 * {@code controlledPoll}. It sits next to {@code shm} and {@code peer-agrona-ring}: the same shape, through the log
 * buffers Aeron's media driver maps for its publications.
 *
 * <p>The media driver runs inside the benchmark's JVM ({@link ThreadingMode#SHARED}: one thread for the conductor,
 * sender and receiver, of which {@code aeron:ipc} needs only the conductor) with Aeron's default
 * {@link BackoffIdleStrategy} (10 spins, 20 yields, then parks of 1 µs doubling to 1 ms). Both of a 2-CPU machine's
 * cores are taken by the two spinning sides; a driver that spun too ({@code DEDICATED}, {@code BusySpinIdleStrategy})
 * would take a third, and every figure would measure the scheduler sharing three spinners between two CPUs. The
 * driver is not idle, though: it moves each publication's limit (the slowest subscriber's position plus half a term)
 * on in steps of an eighth of that window, and zeroes the part of the log behind the subscriber at each step. When
 * it wakes it takes a CPU from a spinning side, which shows in the tail (p99.9) and in the throughput of large
 * messages; a machine with a core to spare for the driver would not pay that.
 *
 * <p>Terms: streaming, Aeron's default 64 MiB (a 32 MiB window the publisher rarely waits at); echoing, room for 1024
 * messages and at least 1 MiB: a window that outlasts the driver's longest park, with steps short enough to zero
 * quickly (with the default 64 MiB, zeroing 4 MiB at a time put 30–50 µs in the 64-byte p99.9). The MTU is the
 * largest Aeron allows ({@value #MTU}): IPC has no network to respect, and a 4 KiB message in one fragment instead of
 * three took a third of the time. Both clients touch every page of the logs before the first message
 * ({@code preTouchMappedMemory}), as Aeron advises for latency.
 *
 * <p>The driver's directory is made in a directory only its owner can enter, under {@code /dev/shm} where it exists
 * (Aeron's own default), and removed with everything in it as soon as the peer is ready: both processes have then
 * mapped all they use, so a run killed while measuring leaves no file behind (one killed in the second or so of
 * setup leaves the directory, named with its pid). The driver is closed last, once the peer has exited: a client
 * whose driver is gone gives up. Both clients report errors to an {@link AeronFailure}, never exit the JVM.
 */
public final class PeerAeronIpcMechanism implements SharedMemoryMechanism {
    private static final int REQUEST_STREAM = 1001;
    private static final int REPLY_STREAM = 1002;
    private static final int DEFAULT_TERM = 64 << 20;
    private static final int ECHO_TERM = 1 << 20;
    /** The largest frame Aeron allows: IPC has no network MTU to respect, and fewer fragments cost fewer polls. */
    private static final int MTU = 65504;
    private static final int LARGEST_TERM = 1 << 30;
    private static final IdleStrategy SPIN = new BusySpinIdleStrategy(); // stateless: one for all links

    @Override
    public String id() {
        return "peer-aeron-ipc";
    }

    @Override
    public String description() {
        return "Aeron aeron:ipc (a peer library) between two JVMs, one publication each way, its media driver embedded "
                + "in the benchmark's JVM (shared thread, backing off); both sides SPIN";
    }

    /** Aeron takes messages of at most 16 MiB; and this JVM must let Agrona, under Aeron, in. */
    @Override
    public String cannotCarry(int size) {
        return EmbeddedAeron.cannotCarry(size);
    }

    /**
     * The term length for {@code mode}, a power of two that takes a message of its size (an eighth of the term).
     * Streaming: Aeron's default, 64 MiB, or more for larger messages. Echoing: room for 1024 messages, at least 1 MiB
     * and at most the default — a window (half a term) that lasts longer than the driver's longest park, with a limit
     * step (an eighth of the window) whose cleaning is short, and logs that both clients can touch page by page
     * before Aeron's ten-second service interval runs out.
     */
    public static int termLength(PeerMode mode) {
        long frame = mode.size() + (long) DataHeaderFlyweight.HEADER_LENGTH;
        long wanted = Math.max(8 * frame, mode.echo() ? Math.max(ECHO_TERM, Math.min(DEFAULT_TERM, 1024 * frame))
                : DEFAULT_TERM);
        return (int) Math.min(LARGEST_TERM, Long.highestOneBit(wanted - 1) << 1);
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        String channel = new ChannelUriStringBuilder().media(CommonContext.IPC_MEDIA)
                .termLength(termLength(mode)).mtu(MTU).build();
        EmbeddedAeron embedded = EmbeddedAeron.launch("aeron");
        try {
            Publication requests = embedded.aeron().addExclusivePublication(channel, REQUEST_STREAM);
            Subscription replies = embedded.aeron().addSubscription(channel, REPLY_STREAM);
            AeronLink link = new AeronLink(requests, replies, SPIN, embedded.failure(), embedded.aeron());
            String self = String.valueOf(ProcessHandle.current().pid());
            ChildConnection connection = ChildConnection.start(
                    ChildConnection.peer(this, mode, embedded.directory(), channel, self)
                            .jvmOptions(PeerAgronaRingMechanism.ADD_OPENS), peer -> {
                        PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone);
                        link.awaitConnected();
                        return link;
                    }, link, embedded::close); // the driver last: a peer whose client outlives it exits
            embedded.removeDirectory(); // the peer is ready: both processes have mapped everything they will use
            return connection;
        } catch (IOException | RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(2))); // a spinning peer must not outlive it
        AeronFailure failure = new AeronFailure();
        Aeron aeron = EmbeddedAeron.client(args.get(0), failure);
        try {
            Subscription requests = aeron.addSubscription(args.get(1), REQUEST_STREAM);
            Publication replies = aeron.addExclusivePublication(args.get(1), REPLY_STREAM);
            AeronLink link = new AeronLink(replies, requests, SPIN, failure, aeron);
            link.awaitConnected();
            return link;
        } catch (IOException | RuntimeException e) {
            aeron.close();
            throw e;
        }
    }
}
