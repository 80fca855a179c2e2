package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.NamedSemaphore;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.signals.peers.CleanupPeer;
import io.github.ipcatlas.signals.peers.IgnoredSignalsPeer;
import io.github.ipcatlas.signals.peers.HandlerPeer;
import io.github.ipcatlas.signals.peers.SignalFdPeer;

/** Signals from this JVM to child JVMs: handlers, signalfd with payloads, graceful shutdown, restored defaults. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class SignalCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldDeliverEveryHandleableSignalToAnotherJvm() throws Exception {
        List<String> names = List.of("HUP", "INT", "TERM", "USR1", "WINCH", "ALRM", "CONT", "TSTP", "PIPE");
        String[] args = new String[names.size() + 1];
        args[0] = String.valueOf(names.size());
        for (int i = 0; i < names.size(); i++) {
            args[i + 1] = names.get(i);
        }
        try (ChildProcess child = ChildJvm.builder(HandlerPeer.class).args(args).quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            for (String name : names) {
                Signals.send(child.pid(), Signal.parse(name));
                // one at a time: two different standard signals pending together arrive lowest number first
                assertThat(child.nextLine(DEADLINE)).isEqualTo("got SIG" + name);
            }
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldQueueEveryRealtimePayloadInOrderWhileStandardSignalsMerge() throws Exception {
        Signal data = Signal.realtime(1);
        try (ChildProcess child = ChildJvm.builder(SignalFdPeer.class).quickStart()
                .blockSignals(data.number(), Signal.realtime(2).number(), Signal.USR1.number()).start()) {
            child.awaitLine("ready", DEADLINE);
            for (int value = 0; value < 1000; value++) {
                Signals.queue(child.pid(), data, value);
            }
            for (int i = 0; i < 5; i++) {
                Signals.send(child.pid(), Signal.USR1);
            }
            Signals.queue(child.pid(), Signal.realtime(2), -1);
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("rt 1000 in-order", "usr1 1",
                    "from " + ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldRemoveRealIpcObjectsOnSigtermAndExitWith143() throws Exception {
        String segment = IpcNames.unique("t-sig-shm");
        String semaphore = IpcNames.unique("t-sig-sem");
        try (ChildProcess child = ChildJvm.builder(CleanupPeer.class).args(segment, semaphore).quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            assertThat(Path.of("/dev/shm", segment.substring(1))).exists();
            assertThat(Path.of("/dev/shm", "sem." + semaphore.substring(1))).exists();
            Signals.send(child.pid(), Signal.TERM);
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(143);
            assertThat(child.stderr()).contains("received SIGTERM").contains("4 close actions");
            assertThat(Path.of("/dev/shm", segment.substring(1))).doesNotExist();
            assertThat(Path.of("/dev/shm", "sem." + semaphore.substring(1))).doesNotExist();
        } finally {
            SharedMemory.unlinkIfExists(segment);
            NamedSemaphore.unlinkIfExists(semaphore);
        }
    }

    @Test
    void shouldLeaveTheObjectsBehindWhenKilledWithSigkill() throws Exception {
        String segment = IpcNames.unique("t-sig-shm");
        String semaphore = IpcNames.unique("t-sig-sem");
        boolean segmentLeft;
        boolean semaphoreLeft;
        try (ChildProcess child = ChildJvm.builder(CleanupPeer.class).args(segment, semaphore).quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            Signals.send(child.pid(), Signal.KILL);
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(137);
            assertThat(Path.of("/dev/shm", segment.substring(1))).as("SIGKILL cannot be caught").exists();
        } finally { // unlink both before checking either, so that a failed check leaves nothing behind
            segmentLeft = SharedMemory.unlinkIfExists(segment);
            semaphoreLeft = NamedSemaphore.unlinkIfExists(semaphore);
        }
        assertThat(segmentLeft).as("the segment left behind").isTrue();
        assertThat(semaphoreLeft).as("the semaphore left behind").isTrue();
    }

    @Test
    void shouldHandleNoEndingSignalInAJvmStartedWithXrsAndSaySo() throws Exception {
        try (ChildProcess child = ChildJvm.builder(IgnoredSignalsPeer.class).jvmOptions("-Xrs").quickStart().start()) {
            assertThat(child.nextLine(DEADLINE)).isEqualTo("handles []");
            assertThat(child.nextLine(DEADLINE)).isEqualTo("refused: SIGINT is kept from handlers by this JVM: started "
                    + "with -Xrs, it leaves SIGHUP, SIGINT and SIGTERM to their default actions.");
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldFallBackToTheDefaultActionOnceTheHandlerIsClosed() throws Exception {
        try (ChildProcess child = ChildJvm.builder(HandlerPeer.class).args("restore", "USR1").quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            assertThat(SignalDispositions.of(child.pid()).describe(Signal.USR1)).isEqualTo("default action");
            Signals.send(child.pid(), Signal.USR1);
            assertThat(child.awaitExit(DEADLINE)).as("SIGUSR1's default action ends the process").isEqualTo(138);
        }
    }

    @Test
    void shouldShowWhatAnotherProcessBlocksAndCatches() throws Exception {
        try (ChildProcess child = ChildJvm.builder(HandlerPeer.class).args("1", "USR1").quickStart()
                .blockSignals(Signal.realtime(5).number()).start()) {
            child.awaitLine("ready", DEADLINE);
            SignalDispositions dispositions = SignalDispositions.of(child.pid());
            assertThat(dispositions.blocked()).contains(Signal.realtime(5));
            assertThat(dispositions.caught()).contains(Signal.USR1, Signal.SEGV);
            assertThat(dispositions.describe(Signal.realtime(5))).isEqualTo("blocked (stays pending)");
            Signals.send(child.pid(), Signal.USR1);
            assertThat(child.finish(DEADLINE).stdout()).containsExactly("got SIGUSR1");
        }
    }
}
