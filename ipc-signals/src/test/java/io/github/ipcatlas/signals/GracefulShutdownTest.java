package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GracefulShutdownTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /**
     * The signals this JVM can be asked to end by: those its launcher did not leave ignored (a build started with
     * {@code nohup} ignores SIGHUP, one started as a background job of a script SIGINT), as /proc reports them.
     */
    private static List<Signal> handleable() throws Exception {
        Set<Signal> ignored = SignalDispositions.current().ignored();
        return GracefulShutdown.SIGNALS.stream().filter(signal -> !ignored.contains(signal)).toList();
    }

    @Test
    void shouldHandleEveryEndingSignalThatTheProcessDoesNotIgnore() throws Exception {
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(1), log, s -> { })) {
            assertThat(shutdown.signals()).isEqualTo(handleable()).isNotEmpty();
        }
    }

    @Test
    void shouldRunTheActionsLastFirstAndExitWith128PlusTheSignal() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(-1);
        Signal signal = handleable().get(handleable().size() - 1); // SIGHUP where the build was started plainly
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(5), log, status::set)) {
            shutdown.onShutdown("first", () -> ran.add("first"))
                    .onShutdown("failing", () -> {
                        throw new IllegalStateException("disk gone");
                    })
                    .onShutdown("last", () -> ran.add("last"));
            Signals.send(ProcessHandle.current().pid(), signal);
            await().atMost(Duration.ofSeconds(10)).until(() -> status.get() != -1);
            assertThat(status.get()).isEqualTo(128 + signal.number());
            assertThat(ran).containsExactly("last", "first");
            assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("received " + signal.fullName())
                    .contains("failing failed: disk gone");
        }
        assertThat(ran).as("close after a signal does not run the actions twice").containsExactly("last", "first");
    }

    @Test
    void shouldAbandonAnActionThatOverrunsTheDeadlineAndStillExit() throws Exception {
        AtomicInteger status = new AtomicInteger(-1);
        List<String> ran = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Signal signal = handleable().get(0); // SIGTERM
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofMillis(200), log, status::set)) {
            shutdown.onShutdown("never runs", () -> ran.add("never"))
                    .onShutdown("hangs", release::await);
            Signals.send(ProcessHandle.current().pid(), signal);
            await().atMost(Duration.ofSeconds(10)).until(() -> status.get() != -1);
        }
        assertThat(status.get()).isEqualTo(128 + signal.number());
        release.countDown(); // the overrunning action ends at last: what was skipped must stay skipped
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("graceful shutdown")) {
                thread.join(10_000);
                assertThat(thread.isAlive()).isFalse();
            }
        }
        assertThat(ran).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("deadline passed during \"hangs\"; 1 actions "
                + "skipped");
    }

    @Test
    void shouldStillFinishWhatANormalEndLeftAfterItsDeadline() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofMillis(100), log, s -> { })) {
            shutdown.onShutdown("unlink", () -> ran.add("unlink"))
                    .onShutdown("slow flush", release::await);
        } // close() returns at the deadline; the process goes on, so the unlink must not be lost
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("unlink"));
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("left to finish in the background");
    }

    @Test
    void shouldRunTheActionsOnANormalEndAndAllowOnlyOneInstance() {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(1), log, s -> { })) {
            shutdown.onShutdown("clean", () -> ran.add("clean"));
            assertThatThrownBy(() -> GracefulShutdown.install(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("installed already");
        }
        assertThat(ran).containsExactly("clean");
        assertThatThrownBy(() -> GracefulShutdown.install(Duration.ZERO)).hasMessageContaining("must be positive");
    }
}
