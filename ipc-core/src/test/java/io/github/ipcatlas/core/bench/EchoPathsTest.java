package io.github.ipcatlas.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ChildProcessBuilder;
import io.github.ipcatlas.core.ProgramPath;

/**
 * {@code src/test/c/echoclient.c} with {@link EchoPaths}, its C echo and programs that are not ours: each path echoes
 * every message intact, and the client notices an echo that changes a message, ends early, sends too much or stops
 * answering, which it kills with whatever that echo started.
 */
class EchoPathsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String HALVES = "A \\d+ \\d+  B \\d+ \\d+";

    @TempDir
    static Path dir;
    private static Path client;

    @BeforeAll
    static void compileClient() throws Exception {
        Optional<Path> cc = ProgramPath.find("cc");
        assumeTrue(cc.isPresent(), "no C compiler for echoclient.c");
        client = dir.resolve("echoclient");
        try (ChildProcess compile = ChildProcess.builder(cc.get().toString(), "-O2", "-pthread", "-o",
                client.toString(), Path.of(System.getProperty("basedir", "."), "src/test/c/echoclient.c").toAbsolutePath().toString()).start()) {
            ChildProcess.Outcome compiled = compile.finish(DEADLINE);
            assertThat(compiled.exitCode()).as(compiled.stderr()).isZero();
        }
    }

    @Test
    void everyJavaPathEchoesEveryMessageIntact() throws Exception {
        for (String[] pair : new String[][] {{"binding", "fdchannel"}, {"jdk", "binding"}}) {
            try (ChildProcess run = ChildJvm.builder(EchoPaths.class).quickStart()
                    .launcher(client.toString(), "500", "2000", "--").args(pair).start()) {
                ChildProcess.Outcome outcome = run.finish(DEADLINE);
                assertThat(outcome.exitCode()).as(String.join("/", pair) + ": " + outcome.stderr()).isZero();
                assertThat(outcome.stdout()).singleElement().asString().matches(HALVES);
            }
        }
    }

    @Test
    void theCEchoWithSleepingThreadsEchoesEveryMessageIntact() throws Exception {
        ChildProcess.Outcome outcome = runClient("--c-echo", "3");
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(outcome.stdout()).singleElement().asString().matches(HALVES);
    }

    @Test
    void anEchoThatChangesAByteFailsTheRun() throws Exception {
        assertRunFails("round trip 0 came back changed", "--", python(), "-c", "import os\n"
                + "while True:\n    b = os.read(0, 64)\n    if not b: break\n    os.write(1, bytes([b[0] ^ 1]) + b[1:])");
    }

    @Test
    void anEchoThatEndsEarlyFailsTheRun() throws Exception {
        assertRunFails("the echo ended after 0 round trips", "--", "true");
    }

    @Test
    void anEchoThatSendsMoreThanItWasSentFailsTheRun() throws Exception {
        assertRunFails("the echo sent 6 bytes more than it was sent", "--", "sh", "-c", "cat; echo extra");
    }

    @Test
    void anEchoThatStopsAnsweringIsKilledWithWhatItStarted() throws Exception {
        Path pids = dir.resolve("stalled-echo-pids");
        // patience for python's start on a busy CPU, and no more: the client waits this long for the stalled echo
        ChildProcess.Outcome outcome = runClient(Duration.ofSeconds(3), "--", python(), "-c",
                "import os, subprocess, sys, time\n"
                + "child = subprocess.Popen(['sleep', '60'])\n"
                + "open(sys.argv[1], 'w').write(f'{os.getpid()} {child.pid}')\n"
                + "for _ in range(3):\n    os.write(1, os.read(0, 64))\n"
                + "time.sleep(60)\n", pids.toString());
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("the echo did not answer a block of 500 round trips");
        assertThat(pids).as("the echo started and wrote its pids: " + outcome.stderr()).isNotEmptyFile();
        for (String pid : Files.readString(pids).split(" ")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)).as("process " + pid).isEmpty());
        }
    }

    @Test
    void anEchoThatFailsAfterEchoingFailsTheRun() throws Exception {
        assertRunFails("the echo failed (exit 3)", "--", "sh", "-c", "cat; exit 3");
    }

    @Test
    void badArgumentsAreRefusedByName() throws Exception {
        assertThat(runClient("--c-echo", "-5")).satisfies(outcome -> {
            assertThat(outcome.exitCode()).isEqualTo(2);
            assertThat(outcome.stderr()).contains("THREADS is -5");
        });
        try (ChildProcess run = ChildProcess.builder(client.toString(), "0", "12x", "--c-echo", "1").start()) {
            ChildProcess.Outcome outcome = run.finish(DEADLINE);
            assertThat(outcome.exitCode()).isEqualTo(2);
            assertThat(outcome.stderr()).contains("ROUND-TRIPS is 12x");
        }
    }

    /** The client with {@code echo} exits 1 and says {@code reason}. */
    private static void assertRunFails(String reason, String... echo) throws Exception {
        ChildProcess.Outcome outcome = runClient(echo);
        assertThat(outcome.exitCode()).as(outcome.stderr()).isEqualTo(1);
        assertThat(outcome.stderr()).contains(reason);
    }

    private static String python() {
        Optional<Path> python = ProgramPath.find("python3");
        assumeTrue(python.isPresent(), "no python3 to play a faulty echo");
        return python.get().toString();
    }

    /** The client with its default patience, 10 s: these echoes end or fail long before it runs out. */
    private static ChildProcess.Outcome runClient(String... echo) throws Exception {
        return runClient(null, echo);
    }

    private static ChildProcess.Outcome runClient(Duration patience, String... echo) throws Exception {
        String[] command = new String[3 + echo.length];
        command[0] = client.toString();
        command[1] = "0";
        command[2] = "1000";
        System.arraycopy(echo, 0, command, 3, echo.length);
        ChildProcessBuilder builder = ChildProcess.builder(command);
        if (patience != null) {
            builder.environment("ECHOCLIENT_PATIENCE", String.valueOf(patience.toSeconds()));
        }
        try (ChildProcess run = builder.start()) {
            return run.finish(DEADLINE);
        }
    }
}
