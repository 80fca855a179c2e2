package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.ProgramPath;

/**
 * A second host on this machine for a benchmark peer: the peer JVM starts in a network namespace of its own
 * ({@code unshare --net}), with only a loopback interface, and {@link #join} then gives it one end of a veth pair — a
 * virtual cable — whose other end stays in this namespace: {@code 10.232.S.1} here, {@code 10.232.S.2} there, a /30
 * whose route {@link #join} adds itself, so that two benchmarks can never share one (the second add fails and another
 * subnet is tried). Traffic between the two crosses both network stacks as it would between two machines.
 *
 * <p>Nothing needs removing: the namespace has no name, so it lives exactly as long as the peer process, and a veth
 * pair goes (shortly after) when either end's namespace goes. A peer dies with the benchmark
 * ({@code PR_SET_PDEATHSIG}, which each mechanism's peer sets first), so a benchmark killed at any point leaves no
 * interface, namespace or process behind.
 *
 * <p>The host end is in this namespace, so any local user can send to the peer's address. Each connection therefore
 * has a random token that the peer gets in its environment (which only its owner can read, unlike its command line)
 * and that whatever first reaches the peer must carry; a mechanism accepts nothing without it. Needs
 * {@code CAP_SYS_ADMIN} (for {@code unshare}) and {@code CAP_NET_ADMIN} (for the pair), which root has, and iproute2's
 * {@code ip} and util-linux's {@code unshare} and {@code nsenter}.
 */
final class VethHost {
    /** The scope of a mechanism whose two processes are on two hosts: measured only when asked for by name. */
    static final String SCOPE = "hosts";
    /** The environment variable that carries the connection's token to the peer. */
    static final String TOKEN_VARIABLE = "IPCATLAS_BENCH_TOKEN";
    /** Bytes of a token: 32 hexadecimal characters. */
    static final int TOKEN_BYTES = 32;
    private static final AtomicInteger PAIRS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CAP_NET_ADMIN = 1L << 12;
    private static final long CAP_SYS_ADMIN = 1L << 21;
    private static final String PROBLEM = probe();

    private final String hostLink;
    private final String peerLink;
    private final byte[] token;
    private InetAddress hostAddress;
    private InetAddress peerAddress;

    private VethHost(String hostLink, String peerLink, byte[] token) {
        this.hostLink = hostLink;
        this.peerLink = peerLink;
        this.token = token;
    }

    /** Why a second host cannot be made here, or null if it can. */
    static String problem() {
        return PROBLEM;
    }

    /** Names for a new pair and a new token; the subnet is chosen when joining. */
    static VethHost plan() {
        String suffix = ProcessHandle.current().pid() % 100_000 + "n" + PAIRS.incrementAndGet() % 1000;
        byte[] random = new byte[TOKEN_BYTES / 2];
        RANDOM.nextBytes(random);
        return new VethHost("abh" + suffix, "abp" + suffix,
                HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code peer} started in a network namespace of its own, with the token in its environment. */
    ChildJvm.Builder prepare(ChildJvm.Builder peer) {
        return peer.launcher("unshare", "--net", "--")
                .environment(TOKEN_VARIABLE, new String(token, StandardCharsets.US_ASCII));
    }

    /** The connection's token, which the peer expects first. */
    byte[] token() {
        return token.clone();
    }

    /** The names of this side's and the peer's end of the pair. */
    List<String> links() {
        return List.of(hostLink, peerLink);
    }

    /** This side's address on the pair, once joined. */
    InetAddress hostAddress() {
        return Objects.requireNonNull(hostAddress, "not joined yet");
    }

    /** The peer's address on the pair, once joined. */
    InetAddress peerAddress() {
        return Objects.requireNonNull(peerAddress, "not joined yet");
    }

    /**
     * Joins this namespace to {@code peerPid}'s by the pair, with both ends addressed and up. Waits first until the
     * peer is in a namespace of its own. If a step fails, the pair is deleted: both of its ends may be here.
     *
     * <p>A launcher that enters a second namespace after the first (two {@code unshare}s) is not supported: the pair
     * would go with the first namespace, and the peer would wait for its address until its deadline.
     */
    void join(long peerPid) throws IOException {
        awaitOwnNamespace(peerPid);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", peerLink, "netns", Long.toString(peerPid));
        try {
            if (succeeds("ip", "link", "show", peerLink)) { // the pid was in this namespace after all: ended, reused
                throw new IOException("peer " + peerPid + " was in this network namespace when the pair was made"
                        + " (it ended, or left its own): both ends were here");
            }
            run("ip", "link", "set", hostLink, "up"); // a route needs its device up
            int subnet = claimSubnet();
            hostAddress = InetAddress.getByAddress(address(subnet, 1));
            peerAddress = InetAddress.getByAddress(address(subnet, 2));
            String peerNamespace = "--net=/proc/" + peerPid + "/ns/net";
            run("nsenter", peerNamespace, "ip", "addr", "add", peerAddress.getHostAddress() + "/30", "dev", peerLink);
            run("nsenter", peerNamespace, "ip", "link", "set", peerLink, "up");
            run("nsenter", peerNamespace, "ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            boolean interrupted = Thread.interrupted(); // an interrupt would stop the deletion before it ran
            try {
                run("ip", "link", "del", hostLink); // takes the other end along, wherever it is
            } catch (IOException notDeleted) {
                e.addSuppressed(notDeleted);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    /**
     * Waits until {@code peerPid} is in another network namespace than this process. The peer is started through
     * {@code unshare --net}, which makes the namespace only once it runs: until then {@code /proc/PID/ns/net} is this
     * namespace, and a pair given to it would have both ends here.
     */
    private static void awaitOwnNamespace(long peerPid) throws IOException {
        Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        Path peer = Path.of("/proc/" + peerPid + "/ns/net");
        Deadline deadline = Deadline.after(ChildConnection.PEER_DEADLINE);
        try {
            while (Files.readSymbolicLink(peer).equals(own)) {
                if (deadline.expired()) {
                    throw new IpcTimeoutException("waiting for peer " + peerPid + " to be in a network namespace of"
                            + " its own", ChildConnection.PEER_DEADLINE);
                }
                pause(1);
            }
        } catch (NoSuchFileException gone) {
            throw new IOException("peer " + peerPid + " ended before it had a network namespace of its own", gone);
        }
    }

    /**
     * Addresses the host end in a /30 of 10.232.0.0/16 and adds that /30's route: the route add fails if any
     * interface here routes it already (another benchmark's pair, say), and another subnet is tried.
     */
    private int claimSubnet() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 32; attempt++) {
            int subnet = ThreadLocalRandom.current().nextInt(256);
            if (inUse(subnet)) {
                continue;
            }
            String host = ipv4(subnet, 1);
            run("ip", "addr", "add", host + "/30", "dev", hostLink, "noprefixroute");
            try {
                run("ip", "route", "add", ipv4(subnet, 0) + "/30", "dev", hostLink, "src", host);
                return subnet;
            } catch (IOException failed) {
                run("ip", "addr", "del", host + "/30", "dev", hostLink);
                if (!String.valueOf(failed.getMessage()).contains("File exists")) {
                    throw failed;
                }
                last = failed; // routed here already: another subnet
            }
        }
        throw new IOException("no free /30 in 10.232.0.0/16 for a veth pair after 32 tries", last);
    }

    /** The token the benchmark gave this peer, from its environment. */
    static byte[] peerToken() throws IOException {
        String token = System.getenv(TOKEN_VARIABLE);
        if (token == null || token.length() != TOKEN_BYTES) {
            throw new IOException("the peer's environment has no " + TOKEN_VARIABLE + " of " + TOKEN_BYTES
                    + " characters");
        }
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code offered} is {@code expected}, in time that does not depend on where they differ. */
    static boolean matches(byte[] expected, byte[] offered) {
        return MessageDigest.isEqual(expected, offered);
    }

    /**
     * In the peer: waits for the deadline at most until the veth end is up with its address, and returns that
     * address (the benchmark's is the same /30's first).
     */
    static InetAddress awaitOwnAddress(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                        if (a.getAddress() instanceof Inet4Address) {
                            return a.getAddress();
                        }
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IpcTimeoutException("waiting for this namespace's veth end to be up with an address",
                        timeout);
            }
            pause(5);
        }
    }

    /** Sleeps between two tries of a setup step that waits for the other side; an interrupt ends the setup. */
    static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the other host", e);
        }
    }

    /** The benchmark's address on the pair whose other end has {@code peerAddress}. */
    static InetAddress hostOf(InetAddress peerAddress) throws IOException {
        byte[] bytes = peerAddress.getAddress();
        bytes[3] = (byte) (bytes[3] - 1);
        return InetAddress.getByAddress(bytes);
    }

    private static boolean inUse(int subnet) throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                byte[] bytes = a.getAddress().getAddress();
                if (a.getAddress() instanceof Inet4Address && bytes[0] == 10 && (bytes[1] & 0xff) == 232
                        && (bytes[2] & 0xff) == subnet) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] address(int subnet, int host) {
        return new byte[] {10, (byte) 232, (byte) subnet, (byte) host};
    }

    private static String ipv4(int subnet, int host) {
        return "10.232." + subnet + "." + host;
    }

    private static void run(String... command) throws IOException {
        ChildProcess.Outcome outcome = outcome(command);
        if (outcome.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + outcome.exitCode() + "): "
                    + outcome.stderr().strip());
        }
    }

    private static boolean succeeds(String... command) throws IOException {
        return outcome(command).exitCode() == 0;
    }

    private static ChildProcess.Outcome outcome(String... command) throws IOException {
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            return child.finish(ChildConnection.PEER_DEADLINE);
        }
    }

    private static String probe() {
        List<String> missing = new ArrayList<>();
        for (String program : List.of("ip", "unshare", "nsenter")) {
            if (ProgramPath.find(program).isEmpty()) {
                missing.add(program);
            }
        }
        if (!missing.isEmpty()) {
            return "a second host needs " + String.join(", ", missing) + " on the PATH (iproute2, util-linux)";
        }
        long capabilities;
        try {
            capabilities = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("CapEff:")).findFirst()
                    .map(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16)).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return "cannot read this process's capabilities from /proc/self/status: " + e;
        }
        long needed = CAP_NET_ADMIN | CAP_SYS_ADMIN;
        return (capabilities & needed) == needed ? null : "a second host is a network namespace and a veth pair, "
                + "which need CAP_SYS_ADMIN and CAP_NET_ADMIN (run as root)";
    }
}
