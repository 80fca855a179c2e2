package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.signals.peers.HandlerPeer;
import io.github.ipcatlas.signals.peers.IgnoredSignalsPeer;
import io.github.ipcatlas.signals.peers.SignalFdPeer;

/** Signals across the language boundary: the shell's kill, sleep, and python3's signal module. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class SignalInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldReachAJavaHandlerWithTheShellsKill() throws Exception {
        try (ChildProcess child = ChildJvm.builder(HandlerPeer.class).args("2", "USR1", "HUP").quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            assertThat(shell("kill -USR1 " + child.pid()).exitCode()).isZero();
            assertThat(child.nextLine(DEADLINE)).isEqualTo("got SIGUSR1");
            assertThat(shell("kill -s HUP " + child.pid()).exitCode()).isZero();
            assertThat(child.nextLine(DEADLINE)).isEqualTo("got SIGHUP");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldLeaveTheSignalsAShellIgnoredIgnoredAndSaySo() throws Exception {
        // what nohup and a script's `cmd &` do: the JVM starts with SIGHUP or SIGINT ignored, and must stay immune
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("sh", "-c",
                "trap '' INT HUP; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.builder(IgnoredSignalsPeer.class).quickStart().command());
        try (ChildProcess child = ChildProcess.builder(command.toArray(String[]::new)).start()) {
            assertThat(child.nextLine(DEADLINE)).isEqualTo("handles [" + Signal.TERM + "]");
            assertThat(child.nextLine(DEADLINE)).startsWith("refused: SIGINT is ignored by this process")
                    .contains("nohup ignores SIGHUP");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldEndSleepWithSigtermAndReadHowItEnded() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start()) {
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> ProcessHandle.of(sleep.pid())
                    .flatMap(p -> p.info().command()).map(c -> c.endsWith("sleep")).orElse(false));
            Signals.send(sleep.pid(), Signal.TERM);
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(143);
        }
    }

    @Test
    void shouldEndAWholeProcessGroupWithOneSignal() throws Exception {
        // setsid: a shell in a new session and process group (its pid is the group's id), with two children in it
        try (ChildProcess group = ChildProcess.builder("setsid", "sh", "-c",
                "sleep 60 & sleep 60 & echo ready; wait").start()) {
            group.awaitLine("ready", DEADLINE);
            assertThat(Signals.processGroupOf(group.pid())).isEqualTo(group.pid());
            java.util.List<Long> sleeps = ProcessHandle.of(group.pid()).orElseThrow().children()
                    .map(ProcessHandle::pid).toList();
            assertThat(sleeps).hasSize(2);
            Signals.sendToGroup(group.pid(), Signal.TERM);
            assertThat(group.awaitExit(DEADLINE)).isEqualTo(143);
            org.awaitility.Awaitility.await().atMost(DEADLINE)
                    .until(() -> sleeps.stream().allMatch(SignalInteropTest::ended));
        }
    }

    @Test
    void shouldLetAPythonHandlerDecideHowItEnds() throws Exception {
        // The handler writes with os.write, not print: the signal may arrive while print('ready') is still inside
        // the buffered stdout, and a second print from the handler would be a reentrant call into it. Short sleeps,
        // not one long one: CPython runs a handler between bytecodes, so a signal that lands after print returned
        // but before time.sleep(60) entered the kernel would wait out the whole minute.
        String script = """
                import os, signal, time
                def on_term(signum, frame):
                    os.write(1, b'python got ' + signal.Signals(signum).name.encode() + b'\\n')
                    os._exit(7)
                signal.signal(signal.SIGTERM, on_term)
                print('ready', flush=True)
                for _ in range(600):
                    time.sleep(0.1)
                """;
        try (ChildProcess python = ChildProcess.builder("python3", "-c", script).start()) {
            python.awaitLine("ready", DEADLINE);
            Signals.send(python.pid(), Signal.TERM);
            ChildProcess.Outcome outcome = python.finish(DEADLINE);
            assertThat(outcome.exitCode()).isEqualTo(7);
            assertThat(outcome.stdout()).contains("python got SIGTERM");
        }
    }

    @Test
    void shouldReadRealtimeSignalsThatPythonQueues() throws Exception {
        Signal data = Signal.realtime(1);
        try (ChildProcess child = ChildJvm.builder(SignalFdPeer.class).quickStart()
                .blockSignals(data.number(), Signal.realtime(2).number(), Signal.USR1.number()).start()) {
            child.awaitLine("ready", DEADLINE);
            // python has no sigqueue: its os.kill sends RTMIN+1 without a value, three times, then the end marker
            String script = "import os, signal, sys\n"
                    + "pid = int(sys.argv[1])\n"
                    + "for _ in range(3): os.kill(pid, signal.SIGRTMIN + 1)\n"
                    + "os.kill(pid, signal.SIGRTMIN + 2)\n";
            try (ChildProcess python = ChildProcess.builder("python3", "-c", script, String.valueOf(child.pid()))
                    .start()) {
                assertThat(python.awaitExit(DEADLINE)).isZero();
                ChildProcess.Outcome outcome = child.finish(DEADLINE);
                // kill() carries no value (each reads as 0), but each of the three was queued, none merged
                assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("rt 3 out-of-order", "usr1 0",
                        "from " + python.pid());
            }
        }
    }

    /** Gone, or a zombie waiting for whoever adopted it: either way, the signal ended it. */
    private static boolean ended(long pid) {
        try {
            String stat = io.github.ipcatlas.core.ProcFs.read(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException gone) {
            return true;
        }
    }

    private static ChildProcess.Outcome shell(String command) throws Exception {
        try (ChildProcess sh = ChildProcess.builder("sh", "-c", command).start()) {
            return sh.finish(DEADLINE);
        }
    }
}
