package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.signals.cli.SignalCommand;
import io.github.ipcatlas.signals.peers.SignalFdPeer;

/** pidfds between JVMs: queued signals with values, a peer killed mid-wait, a wait for a process that is not a child. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class PidFdCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldQueueRealtimeSignalsWithTheirValuesInOrderThroughAPidfd() throws Exception {
        Signal data = Signal.realtime(1);
        try (ChildProcess child = ChildJvm.builder(SignalFdPeer.class).quickStart()
                .blockSignals(data.number(), Signal.realtime(2).number(), Signal.USR1.number()).start();
             PidFd peer = PidFd.open(child.pid())) {
            child.awaitLine("ready", DEADLINE);
            for (int value = 0; value < 1000; value++) {
                peer.queue(data, value);
            }
            for (int i = 0; i < 5; i++) {
                peer.send(Signal.USR1);
            }
            peer.queue(Signal.realtime(2), -1);
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("rt 1000 in-order", "usr1 1",
                    "from " + ProcessHandle.current().pid());
            assertThat(peer.awaitExit(DEADLINE)).isTrue();
        }
    }

    @Test
    void shouldWakeAWaitingJvmWhenAProcessThatIsNotItsChildIsKilled() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start();
             ChildProcess waiter = ChildJvm.builder(SignalCommand.class).quickStart()
                     .args("wait-exit", String.valueOf(sleep.pid()), "--timeout", "60000").start()) {
            // the waiter cannot waitpid a sibling; it holds a pidfd once it waits, and must still be waiting then
            Awaitility.await().atMost(DEADLINE).until(() -> holdsPidfd(waiter.pid()));
            assertThat(waiter.exitCode()).isEmpty();
            sleep.kill(9);
            ChildProcess.Outcome outcome = waiter.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).containsExactly("exited");
        }
    }

    /** Whether the process {@code pid} has a pidfd open: it is waiting, or about to. */
    static boolean holdsPidfd(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:[pidfd]");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            });
        }
    }
}
