package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.peers.EchoArgsPeer;
import io.github.ipcatlas.core.peers.FailingPeer;
import io.github.ipcatlas.core.peers.InheritedFdPeer;
import io.github.ipcatlas.core.peers.StubbornPeer;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildJvmCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void shouldRunAMainClassWithArgsAndPropertiesAndReportItsExitCode() throws IOException {
        try (ChildProcess child = ChildJvm.builder(EchoArgsPeer.class).args("7", "two words")
                .systemProperty("ipcatlas.test.property", "value=x").quickStart().start()) {
            assertThat(child.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
            child.awaitLine("ready", DEADLINE);

            assertThat(child.remainingLines(DEADLINE))
                    .containsExactly("arg 7", "arg two words", "property value=x");
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(7);
            assertThat(child.exitCode()).contains(7);
            assertThat(child.isAlive()).isFalse();
            // read by a thread of its own: the last line may arrive just after the exit
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> child.stderr().contains("a line on stderr"));
        }
    }

    @Test
    void shouldStartTheJvmThroughALauncherThatExecsItAndSetItsEnvironment() throws IOException {
        // env(1) execs its command with the variable set: the JVM is the child, with env's pid, and sees the variable
        ChildJvm.Builder builder = ChildJvm.builder(EchoArgsPeer.class).launcher("env", "IPCATLAS_LAUNCHED=yes")
                .args("0").quickStart();
        ChildJvm.Builder secret = ChildJvm.builder(EchoArgsPeer.class).environment("IPCATLAS_LAUNCHED", "by env")
                .args("0").quickStart();
        assertThat(builder.command()).startsWith("env", "IPCATLAS_LAUNCHED=yes", ChildJvm.javaExecutable().toString());
        try (ChildProcess child = builder.start()) {
            child.awaitLine("ready", DEADLINE);
            assertThat(ProcessHandle.of(child.pid()).flatMap(p -> p.info().command()).orElse(""))
                    .endsWith("/java");
            assertThat(child.remainingLines(DEADLINE)).contains("arg 0", "env IPCATLAS_LAUNCHED=yes");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
        try (ChildProcess child = secret.start()) { // an environment variable set by the builder, not on the command line
            assertThat(secret.command()).noneMatch(word -> word.contains("by env"));
            assertThat(child.remainingLines(DEADLINE)).contains("env IPCATLAS_LAUNCHED=by env");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldHandTheChildADescriptorAtAChosenNumber() throws IOException {
        FdChannel[] pipe = TestPipes.open();
        try (FdChannel reader = pipe[0]; FdChannel writer = pipe[1];
             ChildProcess child = ChildJvm.builder(InheritedFdPeer.class).inheritFd(reader, 3).quickStart().start()) {
            reader.close(); // the child holds the read end now
            child.awaitLine("ready", DEADLINE);
            writer.write(ByteBuffer.wrap("through fd 3".getBytes(StandardCharsets.UTF_8)));
            writer.close(); // EOF for the child

            assertThat(child.nextLine(DEADLINE)).isEqualTo("got through fd 3");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldNotLeakTheJvmsOwnDescriptorsIntoTheChild(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("open-in-parent"), "x");
        FdChannel[] pipe = TestPipes.open();
        // FileInputStream opens without O_CLOEXEC: exactly the kind of descriptor that must not leak.
        try (FileInputStream leakCandidate = new FileInputStream(file.toFile());
             FdChannel reader = pipe[0]; FdChannel writer = pipe[1];
             ChildProcess child = ChildProcess.builder("sh", "-c", "ls /proc/$$/fd").inheritFd(reader, 5).start()) {
            assertThat(leakCandidate.getFD().valid()).isTrue();

            assertThat(child.remainingLines(DEADLINE)).containsExactlyInAnyOrder("0", "1", "2", "5");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldIncludeTheChildsStderrWhenItDiesBeforeTheHandshake() throws IOException {
        try (ChildProcess child = ChildJvm.builder(FailingPeer.class).quickStart().start()) {
            assertThatThrownBy(() -> child.awaitLine("ready", DEADLINE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("closed its output")
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("peer could not start: no configuration");
        }
    }

    @Test
    void shouldWaitForStderrsLastLinesWhenTheChildClosesItsOutput() throws IOException {
        // the reason comes half a second after the end of output and the exit: a message made at once would lack it
        try (ChildProcess child = ChildProcess.builder("sh", "-c",
                "exec >&-; (sleep 0.5; echo the reason it failed >&2) & exit 1").start()) {
            assertThatThrownBy(() -> child.awaitLine("ready", DEADLINE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("the reason it failed");
        }
    }

    @Test
    void shouldNotWaitForStderrPastTheCallersDeadline() throws IOException {
        // a grandchild holds stderr open for 3 s after the child closed its output and exited: the wait for stderr's
        // last lines ends at the caller's deadline, half a second, not at the end of stderr or at 5 s
        try (ChildProcess child = ChildProcess.builder("sh", "-c", "exec >&-; sleep 3 & exit 1").start()) {
            child.awaitExit(DEADLINE);
            assertTimeoutPreemptively(Duration.ofMillis(2500), () -> assertThatThrownBy(
                    () -> child.nextLine(Duration.ofMillis(500))).hasMessageContaining("exited with 1"));
        }
    }

    @Test
    void shouldFinishAChildWithItsExitCodeOutputAndErrors() throws IOException {
        try (ChildProcess child = ChildProcess.builder("sh", "-c", "echo one; echo two; echo oops >&2; exit 3").start()) {
            ChildProcess.Outcome outcome = child.finish(DEADLINE);

            assertThat(outcome.exitCode()).isEqualTo(3);
            assertThat(outcome.stdout()).containsExactly("one", "two");
            assertThat(outcome.stderr()).isEqualTo("oops\n");
        }
    }

    @Test
    void shouldTimeOutWaitingForALineThatNeverComes() throws IOException {
        try (ChildProcess child = ChildProcess.builder("sleep", "30").start()) {
            assertThatThrownBy(() -> child.nextLine(Duration.ofMillis(100)))
                    .isInstanceOf(IpcTimeoutException.class).hasMessageContaining("timed out after 100 ms");
            assertThatThrownBy(() -> child.awaitExit(Duration.ofMillis(100)))
                    .isInstanceOf(IpcTimeoutException.class);
            assertThat(child.isAlive()).isTrue();
        }
    }

    @Test
    void shouldStartAJvmWithSignalsBlockedInEveryThread() throws IOException {
        try (ChildProcess child = ChildJvm.builder(StubbornPeer.class).quickStart().blockSignals(40, 10).start()) {
            child.awaitLine("ready", DEADLINE);
            long expected = (1L << 39) | (1L << 9);
            List<Path> tasks;
            try (var list = Files.list(Path.of("/proc", Long.toString(child.pid()), "task"))) {
                tasks = list.toList();
            }
            assertThat(tasks).hasSizeGreaterThan(5); // GC, JIT, signal dispatcher…: threads the JVM made itself
            for (Path task : tasks) {
                String blocked = ProcFs.read(task.resolve("status")).lines().filter(l -> l.startsWith("SigBlk:"))
                        .findFirst().orElseThrow().substring("SigBlk:".length()).trim();
                assertThat(Long.parseUnsignedLong(blocked, 16) & expected).as(task + " SigBlk " + blocked)
                        .isEqualTo(expected);
            }
            child.kill(9);
        }
        assertThatThrownBy(() -> ChildJvm.builder(StubbornPeer.class).blockSignals(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signal number 0 is outside 1..64");
    }

    @Test
    void shouldEndAChildWithSigtermOnClose() throws IOException {
        ChildProcess child = ChildProcess.builder("sleep", "30").start();
        child.close();

        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitCode()).contains(128 + 15);
        assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        child.close(); // idempotent
    }

    @Test
    void shouldKillAChildThatIgnoresSigtermAfterTheGracePeriod() throws IOException {
        ChildProcess child = ChildJvm.builder(StubbornPeer.class).quickStart().start();
        child.awaitLine("ready", DEADLINE);

        child.close(Duration.ofMillis(300));

        assertThat(child.exitCode()).contains(128 + 9);
    }

    @Test
    void shouldReportAProgramThatIsNotOnThePath() {
        assertThatThrownBy(() -> ChildProcess.builder("ipc-atlas-no-such-program").start())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("posix_spawnp(ipc-atlas-no-such-program) failed: ENOENT")
                .hasMessageContaining("not on PATH");
    }

    @Test
    void shouldRefuseBadDescriptorNumbersAndNames() throws IOException {
        FdChannel[] pipe = TestPipes.open();
        try (FdChannel reader = pipe[0]; FdChannel writer = pipe[1]) {
            ChildProcessBuilder builder = ChildProcess.builder("true");
            assertThatThrownBy(() -> builder.inheritFd(reader, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("child descriptor 2");
            builder.inheritFd(reader, 3);
            assertThatThrownBy(() -> builder.inheritFd(writer, 3)).hasMessageContaining("already assigned");
        }
        assertThatThrownBy(() -> ChildJvm.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChildProcess.builder(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChildJvm.builder(EchoArgsPeer.class).systemProperty("a=b", "c"))
                .hasMessageContaining("\"a=b\"");
    }

    @Test
    void shouldBuildAJavaCommandWithNativeAccessAndTheClassPath() {
        List<String> command = ChildJvm.builder(EchoArgsPeer.class).jvmOptions("-Xmx32m").args("x").command();

        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command).contains("--enable-native-access=ALL-UNNAMED", "-Xmx32m", "-cp",
                System.getProperty("java.class.path"));
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly(EchoArgsPeer.class.getName(), "x");
    }
}
