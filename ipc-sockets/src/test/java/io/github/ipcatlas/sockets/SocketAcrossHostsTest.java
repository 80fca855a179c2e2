package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.sockets.cli.SocketCommand;

/**
 * Sockets between two hosts: two network namespaces (each with its own interfaces, addresses and routing, as two
 * machines have) joined by a veth pair, a virtual cable. The server runs in one, the client in the other, and they
 * talk over {@code 10.x.y.1} ↔ {@code 10.x.y.2}, not loopback. Needs root ({@code CAP_NET_ADMIN}), which the build
 * machines have; without it the tests are skipped with that reason. The namespaces are removed even when a test fails
 * (removing a namespace removes its veth end).
 */
@Timeout(120)
class SocketAcrossHostsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private final String suffix = Long.toString(ProcessHandle.current().pid() % 100_000) + "x"
            + ThreadLocalRandom.current().nextInt(1000);
    private final String serverHost = "atlas-srv-" + suffix;
    private final String clientHost = "atlas-cli-" + suffix;
    private final int subnet = ThreadLocalRandom.current().nextInt(1, 250);
    private final String serverAddress = "10.231." + subnet + ".1";
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void createTwoHosts() throws IOException {
        String serverLink = "va" + suffix;
        String clientLink = "vb" + suffix;
        requireNamespacePrivileges();
        ip("netns", "add", serverHost);
        created.add(serverHost);
        ip("netns", "add", clientHost);
        created.add(clientHost);
        ip("link", "add", serverLink, "netns", serverHost, "type", "veth", "peer", "name", clientLink, "netns",
                clientHost);
        ip("-n", serverHost, "addr", "add", serverAddress + "/24", "dev", serverLink);
        ip("-n", clientHost, "addr", "add", "10.231." + subnet + ".2/24", "dev", clientLink);
        for (String[] host : new String[][] {{serverHost, serverLink}, {clientHost, clientLink}}) {
            ip("-n", host[0], "link", "set", "lo", "up");
            ip("-n", host[0], "link", "set", host[1], "up");
        }
    }

    @AfterEach
    void removeHosts() throws IOException {
        for (String namespace : created) {
            ip("netns", "del", namespace);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--tcp", "--udp"})
    void shouldTalkBetweenTwoAddressesThatAreNotLoopback(String transport) throws Exception {
        try (ChildProcess server = inHost(serverHost, "echo-server", transport, serverAddress + ":0",
                "--count", "1")) {
            String listening = server.nextLine(DEADLINE);
            assertThat(listening).startsWith("listening on " + serverAddress + ":");
            String address = listening.substring("listening on ".length());
            try (ChildProcess client = inHost(clientHost, "send", transport, address, "across the wire",
                    "--timeout", "30000")) {
                ChildProcess.Outcome outcome = client.finish(DEADLINE);
                assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("across the wire");
                assertThat(outcome.exitCode()).isZero();
            }
            assertThat(server.awaitExit(DEADLINE)).isZero();
        }
    }

    private ChildProcess inHost(String namespace, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(ChildJvm.builder(SocketCommand.class).args(args).quickStart().command());
        return ChildProcess.builder(command).start();
    }

    /**
     * Network namespaces need {@code CAP_NET_ADMIN} (root, on the build machines). Without it these tests cannot run
     * at all, and say so instead of failing in the set-up with {@code ip}'s "Operation not permitted".
     */
    private static void requireNamespacePrivileges() throws IOException {
        String effective = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElse("CapEff: 0").substring(7).trim();
        boolean netAdmin = (Long.parseUnsignedLong(effective, 16) & (1L << 12)) != 0; // CAP_NET_ADMIN is bit 12
        org.junit.jupiter.api.Assumptions.assumeTrue(netAdmin, "two hosts need network namespaces, and those need "
                + "CAP_NET_ADMIN (run as root); this process has capabilities " + effective);
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try (ChildProcess ip = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome outcome = ip.finish(DEADLINE);
            if (outcome.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + outcome.stderr());
            }
        }
    }
}
