package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class SignalTest {

    @ParameterizedTest
    @CsvSource({"USR1,10", "SIGUSR1,10", "usr1,10", "10,10", " TERM ,15", "SIGCHLD,17", "CLD,17", "POLL,29",
            "RTMIN,34", "RTMIN+2,36", "SIGRTMIN+2,36", "RTMAX,64", "RTMAX-1,63", "64,64", "34,34"})
    void shouldParseEveryWayPeopleWriteASignal(String text, int number) {
        assertThat(Signal.parse(text).number()).isEqualTo(number);
        assertThat(Signal.parse(text)).isSameAs(Signal.of(number));
    }

    @Test
    void shouldNameSignalsAsTheManPagesDo() {
        assertThat(Signal.USR1.fullName()).isEqualTo("SIGUSR1");
        assertThat(Signal.realtime(2).fullName()).isEqualTo("SIGRTMIN+2");
        assertThat(Signal.of(Signal.RTMAX).name()).isEqualTo("RTMAX");
        assertThat(Signal.realtime(0).isRealtime()).isTrue();
        assertThat(Signal.TERM.isRealtime()).isFalse();
        assertThat(Signal.RTMIN).as("glibc keeps 32 and 33").isEqualTo(34);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"FOO|unknown signal \"FOO\"", "0|outside 1..64", "65|outside 1..64",
            "99999999999|outside 1..64", "32|reserved by glibc", "RTMIN+31|outside RTMIN..RTMAX",
            "RTMIN-1|write RTMIN+n or RTMAX-n", "RTMAX+1|write RTMIN+n or RTMAX-n", "' '|empty signal"})
    void shouldRefuseWhatIsNotASignalNamingIt(String text, String message) {
        assertThatThrownBy(() -> Signal.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUIT", "ILL", "FPE", "SEGV", "BUS", "USR2", "KILL", "STOP"})
    void shouldRefuseToHandleWhatTheJvmReservesAndSuggestAnother(String name) {
        Signal signal = Signal.parse(name);
        assertThatThrownBy(() -> SignalHandlers.register(signal, s -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(signal.fullName() + " cannot be handled in a JVM")
                .hasMessageContaining("use USR1, HUP");
        assertThat(signal.reservedReason()).isNotBlank();
    }

    @Test
    void shouldRefuseGroupPidsUnlessAskedForAGroupAndNameAMissingProcess() throws IOException {
        assertThatThrownBy(() -> Signals.send(0, Signal.USR1)).hasMessageContaining("pid 0 means the caller's own "
                + "process group");
        assertThatThrownBy(() -> Signals.send(-1, Signal.TERM)).hasMessageContaining("-1 means every process");
        assertThatThrownBy(() -> Signals.queue(-5, Signal.TERM, 1)).hasMessageContaining("sendToGroup");
        long missing = findUnusedPid();
        assertThatThrownBy(() -> Signals.send(missing, Signal.TERM))
                .hasMessageContaining("kill(pid " + missing + ", SIGTERM) failed: ESRCH").hasMessageContaining(
                        "no such process");
        assertThat(Signals.isAlive(missing)).isFalse();
        assertThat(Signals.isAlive(ProcessHandle.current().pid())).isTrue();
        assertThat(Signals.processGroupOf(ProcessHandle.current().pid())).isPositive();
    }

    @Test
    void shouldRunTheHandlerAndPutThePreviousOneBack() throws Exception {
        long self = ProcessHandle.current().pid();
        try (SignalWaiter outer = SignalWaiter.open(Signal.WINCH)) {
            try (SignalWaiter inner = SignalWaiter.open(Signal.WINCH)) {
                Signals.send(self, Signal.WINCH);
                assertThat(inner.await(Signal.WINCH, Duration.ofSeconds(10))).isTrue();
            }
            Signals.send(self, Signal.WINCH);
            assertThat(outer.await(Signal.WINCH, Duration.ofSeconds(10))).as("the outer handler is back").isTrue();
            assertThat(outer.deliveries(Signal.WINCH)).isEqualTo(1);
            assertThat(SignalDispositions.current().caught()).contains(Signal.WINCH);
        }
        assertThat(SignalDispositions.current().caught()).as("the default disposition is back")
                .doesNotContain(Signal.WINCH);
    }

    @Test
    void shouldTimeOutAWaitAsAResult() throws Exception {
        try (SignalWaiter waiter = SignalWaiter.open(Signal.USR1)) {
            assertThat(waiter.await(Signal.USR1, Duration.ofMillis(50))).isFalse();
            assertThat(waiter.next(Duration.ofMillis(10))).isEmpty();
        }
    }

    @Test
    void shouldDecodeProcMasks() {
        assertThat(SignalDispositions.decode("0000000000000000")).isEmpty();
        assertThat(SignalDispositions.decode("0000000000000202")).containsExactly(Signal.INT, Signal.USR1);
        assertThat(SignalDispositions.decode("0000000400000000")).containsExactly(Signal.realtime(1));
        assertThat(SignalDispositions.decode("0000000180000000")).as("glibc's 32 and 33 are skipped").isEmpty();
        assertThat(SignalDispositions.decode("8000000000000000")).containsExactly(Signal.of(64));
        assertThatThrownBy(() -> SignalDispositions.decode("xyz")).hasMessageContaining("\"xyz\"");
    }

    @Test
    void shouldSeeWhatThisJvmIgnoresAndCatches() throws IOException {
        SignalDispositions self = SignalDispositions.current();
        assertThat(self.caught()).as("HotSpot's own handlers").contains(Signal.SEGV, Signal.QUIT);
        assertThat(self.describe(Signal.SEGV)).isEqualTo("caught by a handler");
        assertThatThrownBy(() -> SignalDispositions.of(findUnusedPid())).hasMessageContaining("no such process");
    }

    @Test
    void shouldRefuseSignalFdInAJvmThatDidNotBlockTheSignal() {
        assertThatThrownBy(() -> SignalFd.open(Signal.realtime(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIGRTMIN+3 is not blocked in thread")
                .hasMessageContaining("kill the process").hasMessageContaining("blockSignals(37)");
        assertThatThrownBy(() -> SignalFd.open(Signal.KILL)).hasMessageContaining("cannot be blocked");
    }

    @Test
    void shouldQueueRealtimeSignalsToOneThreadInOrderAndMergeStandardOnes() throws Exception {
        long self = ProcessHandle.current().pid();
        Signal rt = Signal.realtime(3);
        int tid = SignalFd.currentThreadId();
        SignalInfo info = new SignalInfo();
        try (SignalFd fd = SignalFd.openForCallingThread(rt, Signal.USR1)) {
            for (int value = 1; value <= 50; value++) {
                SignalFd.queueToThread(self, tid, rt, value);
            }
            for (int i = 0; i < 3; i++) {
                SignalFd.queueToThread(self, tid, Signal.USR1, 100 + i);
            }
            assertThat(SignalDispositions.ofThread(self, tid).pending()).containsExactly(Signal.USR1, rt);
            // standard signals first (lowest number first), then every queued real-time one, in order
            assertThat(fd.receive(info, Duration.ofSeconds(5))).isTrue();
            assertThat(info.signal()).isEqualTo(Signal.USR1);
            assertThat(info.value()).as("the first of the three; the others merged into it").isEqualTo(100);
            for (int value = 1; value <= 50; value++) {
                assertThat(fd.receive(info, Duration.ofSeconds(5))).isTrue();
                assertThat(info.signal()).isEqualTo(rt);
                assertThat(info.value()).isEqualTo(value);
                assertThat(info.hasValue()).isTrue();
                assertThat(info.senderPid()).isEqualTo((int) self);
            }
            assertThat(fd.receive(info, Duration.ofMillis(20))).as("nothing more: three USR1 arrived once").isFalse();
            SignalFd.queueToThread(self, tid, rt, 7); // left pending: close must read it away before unblocking
        }
        Set<Signal> blocked = SignalDispositions.ofThread(self, tid).blocked();
        assertThat(blocked).as("the thread's mask is restored").doesNotContain(rt, Signal.USR1);
    }

    /** A pid no process has now (pids here go up to 4,194,304). */
    static long findUnusedPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        return pid;
    }
}
