package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FrameDescriptor;
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
 * {@link BackoffIdleStrategy} (10 spins, 20 yields, then parks of 1 µs growing to 1 ms). Both of a 2-CPU machine's
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
 * mapped all they use, so a run killed while measuring leaves no file behind.
 */
public final class PeerAeronIpcMechanism implements SharedMemoryMechanism {
    private static final int REQUEST_STREAM = 1001;
    private static final int REPLY_STREAM = 1002;
    private static final int DEFAULT_TERM = 64 << 20;
    private static final int ECHO_TERM = 1 << 20;
    /** The largest frame Aeron allows: IPC has no network MTU to respect, and fewer fragments cost fewer polls. */
    private static final int MTU = 65504;
    private static final int LARGEST_TERM = 1 << 30;

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
        String closed = AgronaAccess.problem();
        if (closed != null) {
            return closed;
        }
        return size > FrameDescriptor.MAX_MESSAGE_LENGTH ? "Aeron takes messages of at most "
                + FrameDescriptor.MAX_MESSAGE_LENGTH + " bytes" : null;
    }

    /**
     * The term length for {@code mode}. Streaming: Aeron's default, 64 MiB, or more for a message above an eighth of
     * that. Echoing: room for 1024 messages, at least 1 MiB — a window (half a term) that lasts longer than the
     * driver's longest park, with a limit step (an eighth of the window) whose cleaning is short.
     */
    static int termLength(PeerMode mode) {
        long frame = mode.size() + (long) DataHeaderFlyweight.HEADER_LENGTH;
        long wanted = mode.echo() ? Math.max(ECHO_TERM, 1024 * frame) : Math.max(DEFAULT_TERM, 8 * frame);
        return (int) Math.min(LARGEST_TERM, Long.highestOneBit(wanted - 1) << 1);
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Path parent = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir"));
        Path privateDirectory = Files.createTempDirectory(parent, BenchDirectories.prefix("aeron"),
                BenchDirectories.OWNER_ONLY);
        Runnable remove = () -> IoUtil.delete(privateDirectory.toFile(), true);
        String aeronDirectory = privateDirectory.resolve("aeron").toString();
        String channel = new ChannelUriStringBuilder().media(CommonContext.IPC_MEDIA)
                .termLength(termLength(mode)).mtu(MTU).build();
        MediaDriver driver = null;
        Aeron aeron = null;
        try {
            driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(aeronDirectory)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .printConfigurationOnStart(false));
            aeron = connectClient(aeronDirectory);
            Publication requests = aeron.addExclusivePublication(channel, REQUEST_STREAM);
            Subscription replies = aeron.addSubscription(channel, REPLY_STREAM);
            AeronLink link = new AeronLink(requests, replies, closeAll(aeron, driver));
            String self = String.valueOf(ProcessHandle.current().pid());
            ChildConnection connection = ChildConnection.start(
                    ChildConnection.peer(this, mode, aeronDirectory, channel, self)
                            .jvmOptions(PeerAgronaRingMechanism.ADD_OPENS), peer -> {
                        PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone);
                        link.awaitConnected();
                        return link;
                    }, link, remove);
            remove.run(); // the peer is ready: both processes have mapped everything they will use
            return connection;
        } catch (IOException | RuntimeException e) {
            CloseHelper.quietCloseAll(aeron, driver);
            remove.run();
            throw e;
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(2))); // a spinning peer must not outlive it
        Aeron aeron = connectClient(args.get(0));
        try {
            Subscription requests = aeron.addSubscription(args.get(1), REQUEST_STREAM);
            Publication replies = aeron.addExclusivePublication(args.get(1), REPLY_STREAM);
            AeronLink link = new AeronLink(replies, requests, aeron);
            link.awaitConnected();
            return link;
        } catch (IOException | RuntimeException e) {
            aeron.close();
            throw e;
        }
    }

    private static Aeron connectClient(String aeronDirectory) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectory).preTouchMappedMemory(true));
    }

    private static AutoCloseable closeAll(Aeron aeron, MediaDriver driver) {
        return () -> CloseHelper.closeAll(aeron, driver);
    }
}
