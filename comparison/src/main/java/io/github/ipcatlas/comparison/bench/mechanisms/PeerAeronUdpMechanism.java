package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.protocol.DataHeaderFlyweight;
import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * A peer library, not ours: Aeron's {@code aeron:udp} between two hosts on one machine — the peer in a network
 * namespace of its own, joined to the benchmark's by a veth pair ({@link VethHost}) — one exclusive publication each
 * way, both sides polling without sleeping ({@code offer} and {@code controlledPoll}, yielding the CPU between two
 * tries: see {@link #sideIdle}). Each host runs its own media driver,
 * embedded in its JVM as for {@code peer-aeron-ipc} ({@link EmbeddedAeron}): here the drivers are on the data path —
 * one driver's sender reads the log and sends the datagrams, the other's receiver writes them into the subscriber's
 * log — so every message waits for two driver threads to be awake. Aeron's defaults otherwise: 16 MiB terms (more for
 * a message above an eighth of that), MTU 1408, within the veth's 1500. It sits next to {@code tcp-veth} and
 * {@code udp-veth}, our sockets across the same kind of pair. Each direction's session id comes from the connection's
 * token, which the peer gets in its environment, so the subscriptions take no one else's messages.
 */
public final class PeerAeronUdpMechanism implements Mechanism {
    private static final int REQUEST_STREAM = 1001;
    private static final int REPLY_STREAM = 1002;
    /** The peer's subscription port: its namespace is new, so no other socket can hold it. */
    private static final int PEER_PORT = 7002;
    private static final int DEFAULT_TERM = 16 << 20;
    private static final int LARGEST_TERM = 1 << 30;

    @Override
    public String id() {
        return "peer-aeron-udp";
    }

    @Override
    public String scope() {
        return VethHost.SCOPE;
    }

    @Override
    public String description() {
        return "Aeron aeron:udp (a peer library) between two network namespaces joined by a veth pair, a media driver "
                + "embedded on each side (shared thread, backing off); both sides poll, yielding the CPU; needs root";
    }

    @Override
    public String cannotCarry(int size) {
        String problem = VethHost.problem();
        return problem != null ? problem : EmbeddedAeron.cannotCarry(size);
    }

    /** Aeron's default network term, or the smallest power of two that takes a message of {@code size}. */
    static int termLength(int size) {
        long wanted = Math.max(DEFAULT_TERM, 8L * (size + DataHeaderFlyweight.HEADER_LENGTH));
        return (int) Math.min(LARGEST_TERM, Long.highestOneBit(wanted - 1) << 1);
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        VethHost host = VethHost.plan();
        int hostPort = freeUdpPort();
        byte[] token = host.token();
        EmbeddedAeron embedded = EmbeddedAeron.launch("aeron-udp");
        try {
            String self = String.valueOf(ProcessHandle.current().pid());
            ChildConnection connection = ChildConnection.start(host.prepare(ChildConnection.peer(this, mode,
                            Integer.toString(hostPort), Integer.toString(termLength(mode.size())), self)
                    .jvmOptions(PeerAgronaRingMechanism.ADD_OPENS)), peer -> {
                        host.join(peer.pid());
                        Subscription replies = embedded.aeron().addSubscription(
                                channel(host.hostAddress(), hostPort, 0, session(token, 1)), REPLY_STREAM);
                        Publication requests = embedded.aeron().addExclusivePublication(channel(host.peerAddress(),
                                PEER_PORT, termLength(mode.size()), session(token, 0)), REQUEST_STREAM);
                        AeronLink link = new AeronLink(requests, replies, sideIdle(), embedded.failure(),
                                embedded.aeron());
                        PeerExitWatcher.start(peer, id() + " peer watcher", link::peerGone);
                        link.awaitConnected();
                        return link;
                    }, embedded, () -> {
                        embedded.close(); // the driver last: it carries the end to the peer
                        EmbeddedAeron.sweepStale(); // the peer's, if it was killed before removing it
                    });
            embedded.removeDirectory(); // only this JVM uses this driver, and its logs are mapped
            return connection;
        } catch (IOException | RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(2))); // its namespace must not outlive it
        byte[] token = VethHost.peerToken();
        InetAddress own = VethHost.awaitOwnAddress(ChildConnection.PEER_DEADLINE);
        EmbeddedAeron embedded = EmbeddedAeron.launch("aeron-udp");
        try {
            Subscription requests = embedded.aeron().addSubscription(
                    channel(own, PEER_PORT, 0, session(token, 0)), REQUEST_STREAM);
            Publication replies = embedded.aeron().addExclusivePublication(channel(VethHost.hostOf(own),
                    Integer.parseInt(args.get(0)), Integer.parseInt(args.get(1)), session(token, 1)), REPLY_STREAM);
            AeronLink link = new AeronLink(replies, requests, sideIdle(), embedded.failure(), embedded);
            link.awaitConnected();
            embedded.removeDirectory();
            return link;
        } catch (IOException | RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    /**
     * Each side yields its CPU between two polls instead of spinning: four threads carry every message here (two
     * sides, two drivers) and a machine may have two CPUs; spinning sides left the drivers' threads waiting for a time
     * slice, which took the 64-byte round trip from about 0.1 ms to about 6 ms on two CPUs.
     */
    private static IdleStrategy sideIdle() {
        return new YieldingIdleStrategy();
    }

    /**
     * {@code aeron:udp?endpoint=ADDRESS:PORT|session-id=SESSION}, with {@code term-length} when it is a publication's
     * (not 0). A subscription with a session id takes only that session's messages.
     */
    private static String channel(InetAddress address, int port, int termLength, int session) {
        ChannelUriStringBuilder channel = new ChannelUriStringBuilder().media(CommonContext.UDP_MEDIA)
                .endpoint(address.getHostAddress() + ":" + port).sessionId(session);
        return (termLength > 0 ? channel.termLength(termLength) : channel).build();
    }

    /**
     * The session id of direction {@code which} (0: to the peer, 1: back), from the connection's token: anyone else
     * who sends to a subscription here has to guess it.
     */
    private static int session(byte[] token, int which) {
        return (int) Long.parseLong(new String(token, 8 * which, 8, StandardCharsets.US_ASCII), 16);
    }

    /** A UDP port nobody holds here now: the benchmark's subscription binds it once the pair is up. */
    private static int freeUdpPort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
