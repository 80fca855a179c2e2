package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.signals.cli.SignalCommand;
import io.github.ipcatlas.signals.examples.PidFdExample;
import io.github.ipcatlas.signals.examples.SignalExample;

/** {@code signal send|wait} as real processes, with the command contract's output and exit codes; the demo. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class SignalCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldWaitForAStandardSignalThatSendSends() throws Exception {
        try (ChildProcess wait = signal("wait", "SIGUSR1", "--timeout", "30000")) {
            String announced = wait.nextLine(DEADLINE);
            assertThat(announced).isEqualTo("pid " + wait.pid() + " waiting for SIGUSR1");
            try (ChildProcess send = signal("send", String.valueOf(wait.pid()), "10")) {
                assertThat(send.finish(DEADLINE).exitCode()).isZero();
            }
            assertThat(wait.nextLine(DEADLINE)).isEqualTo("received SIGUSR1");
            assertThat(wait.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldPrintTheValueOfAQueuedRealtimeSignal() throws Exception {
        try (ChildProcess wait = signal("wait", "RTMIN+2", "--timeout", "30000")) {
            String announced = wait.nextLine(DEADLINE);
            assertThat(announced).matches("pid \\d+ waiting for SIGRTMIN\\+2");
            long waiter = Long.parseLong(announced.split(" ")[1]);
            assertThat(SignalDispositions.of(waiter).blocked()).as("the JVM that reads it started with it blocked")
                    .contains(Signal.realtime(2));
            try (ChildProcess send = signal("send", String.valueOf(waiter), "RTMIN+2", "--value", "42")) {
                ChildProcess.Outcome sent = send.finish(DEADLINE);
                assertThat(sent.exitCode()).as(sent.stderr()).isZero();
            }
            assertThat(wait.nextLine(DEADLINE)).isEqualTo("received SIGRTMIN+2 value 42");
            assertThat(wait.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldExitWith1OnTimeoutOrMissingProcessAnd2OnUsageErrors() throws Exception {
        try (ChildProcess wait = signal("wait", "HUP", "--timeout", "200")) {
            ChildProcess.Outcome outcome = wait.finish(DEADLINE);
            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.stdout()).containsExactly("pid " + wait.pid() + " waiting for SIGHUP");
            assertThat(outcome.stderr()).contains("timed out");
        }
        long missing = SignalTest.findUnusedPid();
        assertOutcome(signal("send", String.valueOf(missing), "TERM"), 1, "ESRCH");
        assertOutcome(signal("send", "0", "TERM"), 2, "process group");
        assertOutcome(signal("send", "123", "SIGNOPE"), 2, "unknown signal \"SIGNOPE\"");
        assertOutcome(signal("wait", "SEGV"), 2, "SIGSEGV cannot be handled in a JVM");
        assertOutcome(signal("wait", "USR1", "--timeout", "-5"), 2, "negative");
    }

    @Test
    void shouldWaitForAnotherProcessToExitAndSendThroughAPidfd() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start()) {
            assertOutcome(signal("wait-exit", String.valueOf(sleep.pid()), "--timeout", "200"), 1, "timed out");
            try (ChildProcess wait = signal("wait-exit", String.valueOf(sleep.pid()), "--timeout", "60000")) {
                org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> PidFdCrossProcessTest.holdsPidfd(wait.pid()));
                assertOutcome(signal("send", "--pidfd", String.valueOf(sleep.pid()), "TERM"), 0, "");
                ChildProcess.Outcome waited = wait.finish(DEADLINE);
                assertThat(waited.exitCode()).as(waited.stderr()).isZero();
                assertThat(waited.stdout()).containsExactly("exited");
            }
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(128 + Signal.TERM.number());
        }
        long missing = SignalTest.findUnusedPid();
        try (ChildProcess gone = signal("wait-exit", String.valueOf(missing))) { // as tail --pid: already exited
            ChildProcess.Outcome outcome = gone.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).containsExactly("exited");
            assertThat(outcome.stderr()).contains("no process has pid " + missing);
        }
        assertOutcome(signal("send", "--pidfd", String.valueOf(missing), "TERM"), 1, "ESRCH");
        assertOutcome(signal("wait-exit", "0"), 2, "pid 0 is not a process id");
        assertOutcome(signal("wait-exit", "1", "--timeout", "-1"), 2, "negative");
    }

    @Test
    void shouldShowTheParentSignallingAChildThatCleansUp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SignalExample().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).startsWith("parent: sending SIGINT to child ");
        assertThat(lines[1]).isEqualTo("shutdown (received SIGINT): 1 close actions, deadline 5000 ms");
        assertThat(lines[2]).isEqualTo("child: removed my file");
        assertThat(lines[3]).isEqualTo("child: exiting with status 130");
        assertThat(lines[4]).isEqualTo("parent: child exited with status 130 (128 + SIGINT), its file removed");
        assertThat(lines[6]).isEqualTo("shutdown (received SIGTERM): 1 close actions, deadline 5000 ms");
        assertThat(lines[9]).isEqualTo("parent: child exited with status 143 (128 + SIGTERM), its file removed");
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name())).contains("signal", "pidfd");
    }

    @Test
    void shouldShowASupervisorStoppingAWorkerThroughItsPidfd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PidFdExample().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).matches("supervisor: worker \\d+ running, exited within 100 ms: false");
        assertThat(lines[1]).isEqualTo("supervisor: sent SIGTERM through the pidfd; exited within 30 s: true");
        assertThat(lines[2]).isEqualTo("supervisor: worker reaped, exit status 143");
        assertThat(lines[3]).startsWith("supervisor: a second SIGTERM is refused: pidfd_send_signal(pid ")
                .contains("ESRCH");
    }

    private static void assertOutcome(ChildProcess child, int exitCode, String stderr) throws IOException {
        try (child) {
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isEqualTo(exitCode);
            assertThat(outcome.stderr()).contains(stderr);
        }
    }

    private static ChildProcess signal(String... args) throws IOException {
        return ChildJvm.builder(SignalCommand.class).args(args).quickStart().start();
    }
}
