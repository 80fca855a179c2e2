package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.ProgramPath;

/**
 * A second host on this machine for a benchmark peer: the peer JVM starts in a network namespace of its own
 * ({@code unshare --net}), with only a loopback interface, and {@link #join} then gives it one end of a veth pair — a
 * virtual cable — whose other end stays in this namespace: {@code 10.232.S.1} here, {@code 10.232.S.2} there, a /30
 * of its own. Traffic between the two crosses both network stacks as it would between two machines, not loopback.
 *
 * <p>Nothing needs removing: the namespace has no name, so it lives exactly as long as the peer process, and a veth
 * pair goes when either end's namespace goes. A benchmark killed at any point leaves nothing: its peer dies with it
 * ({@code PR_SET_PDEATHSIG}), and the namespace and the pair with the peer. Needs {@code CAP_SYS_ADMIN} (for
 * {@code unshare}) and {@code CAP_NET_ADMIN} (for the pair), which root has, and iproute2's {@code ip} and
 * util-linux's {@code unshare} and {@code nsenter}.
 */
final class VethHost {
    /** The scope of a mechanism whose two processes are on two hosts: measured only when asked for by name. */
    static final String SCOPE = "hosts";
    private static final AtomicInteger PAIRS = new AtomicInteger();
    private static final long CAP_NET_ADMIN = 1L << 12;
    private static final long CAP_SYS_ADMIN = 1L << 21;
    private static final String PROBLEM = probe();

    private final String hostLink;
    private final String peerLink;
    private final InetAddress hostAddress;
    private final InetAddress peerAddress;

    private VethHost(String hostLink, String peerLink, InetAddress hostAddress, InetAddress peerAddress) {
        this.hostLink = hostLink;
        this.peerLink = peerLink;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
    }

    /** Why a second host cannot be made here, or null if it can. */
    static String problem() {
        return PROBLEM;
    }

    /** Names for a new pair, and a /30 that no interface here is in. */
    static VethHost plan() throws IOException {
        String suffix = ProcessHandle.current().pid() % 100_000 + "n" + PAIRS.incrementAndGet() % 1000;
        for (int attempt = 0; attempt < 64; attempt++) {
            int subnet = ThreadLocalRandom.current().nextInt(256);
            if (!inUse(subnet)) {
                return new VethHost("abh" + suffix, "abp" + suffix, InetAddress.getByAddress(address(subnet, 1)),
                        InetAddress.getByAddress(address(subnet, 2)));
            }
        }
        throw new IOException("every 10.232.x.0/24 tried is in use here: no free subnet for a veth pair");
    }

    /** The command that starts the peer JVM in a network namespace of its own. */
    String[] launcher() {
        return new String[] {"unshare", "--net", "--"};
    }

    /** This side's address on the pair. */
    InetAddress hostAddress() {
        return hostAddress;
    }

    /** The peer's address on the pair. */
    InetAddress peerAddress() {
        return peerAddress;
    }

    /** Joins this namespace to {@code peerPid}'s by the pair, with both ends addressed and up. */
    void join(long peerPid) throws IOException {
        String peerNamespace = "--net=/proc/" + peerPid + "/ns/net";
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", peerLink, "netns", Long.toString(peerPid));
        run("ip", "addr", "add", hostAddress.getHostAddress() + "/30", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("nsenter", peerNamespace, "ip", "addr", "add", peerAddress.getHostAddress() + "/30", "dev", peerLink);
        run("nsenter", peerNamespace, "ip", "link", "set", peerLink, "up");
        run("nsenter", peerNamespace, "ip", "link", "set", "lo", "up");
    }

    /** In the peer: waits until an interface that is up has {@code address}, for the deadline at most. */
    static void awaitAddress(InetAddress address, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!upWith(address)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IpcTimeoutException("waiting for " + address.getHostAddress() + " on an interface", timeout);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + address.getHostAddress(), e);
            }
        }
    }

    private static boolean upWith(InetAddress address) throws SocketException {
        NetworkInterface nic = NetworkInterface.getByInetAddress(address);
        return nic != null && nic.isUp();
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

    private static void run(String... command) throws IOException {
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome outcome = child.finish(ChildConnection.PEER_DEADLINE);
            if (outcome.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + outcome.exitCode() + "): "
                        + outcome.stderr().strip());
            }
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
