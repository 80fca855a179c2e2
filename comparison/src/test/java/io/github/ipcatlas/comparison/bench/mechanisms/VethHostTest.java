package io.github.ipcatlas.comparison.bench.mechanisms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;

/**
 * {@link VethHost#join} against a peer that enters its namespace late, or never: the pair must end up with one end in
 * each namespace, or not at all. Needs root, which the build machines have; skipped elsewhere with the reason.
 */
class VethHostTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeEach
    void requireTwoHosts() {
        assumeTrue(VethHost.problem() == null, VethHost.problem());
    }

    @Test
    void shouldWaitForAPeerThatUnsharesLateAndPutItsEndThere() throws Exception {
        VethHost host = VethHost.plan();
        String hostLink = host.links().get(0);
        String peerLink = host.links().get(1);
        Path gate = dir.resolve("gate");
        // the peer makes its namespace only once the gate exists, which is after join has begun: a join that did not
        // wait would give the pair to this namespace, both ends here
        try (ChildProcess peer = ChildProcess.builder("sh", "-c", "while [ ! -e " + gate + " ]; do sleep 0.05; done;"
                + " exec unshare --net -- sleep 30").start()) {
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + peer.pid() + "/ns/net")))
                    .as("the peer's namespace before the gate opens").isEqualTo(
                            Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
            CompletableFuture<Void> opening = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(300);
                    Files.createFile(gate);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            host.join(peer.pid());
            opening.join();

            assertThat(run("ip", "link", "show", hostLink).exitCode()).as("this end, here").isZero();
            assertThat(run("ip", "link", "show", peerLink).exitCode()).as("the peer's end, not here").isNotZero();
            ChildProcess.Outcome there = run("nsenter", "--net=/proc/" + peer.pid() + "/ns/net", "ip", "-o", "addr",
                    "show", "dev", peerLink);
            assertThat(there.exitCode()).as(there.stderr()).isZero();
            assertThat(String.join("\n", there.stdout())).contains(host.peerAddress().getHostAddress() + "/30");
        } finally {
            // both ends here, the failure this test is for, would never go by themselves; a good pair goes with the
            // peer's namespace, which the assertion below waits for
            if (run("ip", "link", "show", peerLink).exitCode() == 0) {
                run("ip", "link", "del", hostLink);
            }
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(run("ip", "link", "show", hostLink).exitCode())
                .as("the pair, gone with the peer's namespace").isNotZero());
    }

    @Test
    void shouldFailClearlyForAPeerThatIsGoneAndLeaveNoPair() throws IOException {
        VethHost host = VethHost.plan();
        long pid;
        try (ChildProcess gone = ChildProcess.builder("true").start()) {
            gone.awaitExit(DEADLINE);
            pid = gone.pid();
        }
        assertThatThrownBy(() -> host.join(pid)).isInstanceOf(IOException.class)
                .hasMessage("peer " + pid + " ended before it had a network namespace of its own");
        for (String link : host.links()) {
            assertThat(run("ip", "link", "show", link).exitCode()).as(link).isNotZero();
        }
    }

    private static ChildProcess.Outcome run(String... command) throws IOException {
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            return child.finish(DEADLINE);
        }
    }
}
