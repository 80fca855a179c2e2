package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.DescriptorLease;

/** pidfds of real processes (the shell's sleep): waits with deadlines, signals that cannot reach a stranger, bad input. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class PidFdTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final ExecutorService executor = Executors.newSingleThreadExecutor(); // not the common pool (JDK 25)

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void shouldTimeOutWhileTheProcessRunsAndSeeItExitOnceSignalled() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start();
             PidFd process = PidFd.of(ProcessHandle.of(sleep.pid()).orElseThrow())) {
            assertThat(process.pid()).isEqualTo(sleep.pid());
            assertThat(process.awaitExit(Duration.ofMillis(100))).isFalse();
            assertThat(process.hasExited()).isFalse();
            process.send(Signal.TERM);
            assertThat(process.awaitExit(DEADLINE)).isTrue();
            assertThat(process.hasExited()).isTrue();
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(128 + Signal.TERM.number());
        }
    }

    @Test
    void shouldRefuseToSignalAProcessThatWasReapedInsteadOfReachingWhoeverHasItsNumber() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start();
             PidFd process = PidFd.open(sleep.pid())) {
            process.send(Signal.KILL);
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(128 + 9); // reaped: the number is free for anyone now
            assertThatThrownBy(() -> process.send(Signal.TERM)).hasMessageContaining("pidfd_send_signal(pid "
                    + sleep.pid() + ", SIGTERM) failed: ESRCH").hasMessageContaining("the process has exited");
            assertThat(process.hasExited()).isTrue();
        }
    }

    @Test
    void shouldRefuseBadPidsBeforeAnyCallAndNameAMissingProcess() throws Exception {
        assertThatThrownBy(() -> PidFd.open(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid 0 is not a process id");
        assertThatThrownBy(() -> PidFd.open(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid -1");
        assertThatThrownBy(() -> PidFd.open(1L << 31)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid 2147483648");
        long missing = SignalTest.findUnusedPid();
        assertThatThrownBy(() -> PidFd.open(missing)).hasMessageContaining("pidfd_open(pid " + missing + ") failed: ESRCH")
                .hasMessageContaining("no such process");
        assertThatThrownBy(() -> PidFd.of(null)).isInstanceOf(NullPointerException.class);
        try (PidFd self = PidFd.open(ProcessHandle.current().pid())) {
            assertThatThrownBy(() -> self.send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> self.awaitExit(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("negative");
            assertThatThrownBy(() -> self.awaitExit(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void shouldRefuseAHandleWhoseProcessHasExited() throws Exception {
        ProcessHandle handle;
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start()) {
            handle = ProcessHandle.of(sleep.pid()).orElseThrow(); // taken while it runs
            sleep.kill(9);
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(128 + 9);
        }
        assertThatThrownBy(() -> PidFd.of(handle)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(String.valueOf(handle.pid()));
        try (PidFd mine = PidFd.of(ProcessHandle.current())) {
            assertThat(mine.hasExited()).isFalse();
        }
    }

    @Test
    void shouldNameTheProcessWhenGivenTheIdOfOneOfItsThreads() throws Exception {
        Future<Integer> tid = executor.submit(SignalFd::currentThreadId); // not the main thread: no pidfd of its own
        long thread = tid.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> PidFd.open(thread)).hasMessageContaining("pidfd_open(pid " + thread + ") failed")
                .hasMessageContaining(thread + " is a thread of process " + ProcessHandle.current().pid()
                        + "; pass the process id");
    }

    @Test
    void shouldRefuseSignalsThatWouldCrashThisJvmButSendThemToAnotherProcess() throws Exception {
        try (PidFd self = PidFd.open(ProcessHandle.current().pid())) {
            for (Signal fatal : new Signal[] {Signal.SEGV, Signal.BUS, Signal.ILL, Signal.FPE, Signal.USR2}) {
                assertThatThrownBy(() -> self.send(fatal)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("sending " + fatal.fullName() + " to this JVM");
                assertThatThrownBy(() -> self.queue(fatal, 1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> Signals.send(ProcessHandle.current().pid(), fatal))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would crash it");
                assertThatThrownBy(() -> Signals.queue(ProcessHandle.current().pid(), fatal, 1))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> Signals.sendToGroup(Signals.processGroupOf(ProcessHandle.current().pid()),
                    Signal.SEGV)).isInstanceOf(IllegalArgumentException.class);
        }
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start();
             PidFd other = PidFd.open(sleep.pid())) {
            other.send(Signal.SEGV); // another process: the caller's decision
            assertThat(sleep.awaitExit(DEADLINE)).isEqualTo(128 + Signal.SEGV.number());
        }
    }

    @Test
    void shouldWakeEveryThreadWaitingAtOnce() throws Exception {
        ExecutorService waiters = Executors.newFixedThreadPool(3);
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start();
             PidFd process = PidFd.open(sleep.pid())) {
            java.util.List<Future<Boolean>> waits = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waits.add(waiters.submit(() -> process.awaitExit(Duration.ofSeconds(60))));
            }
            assertThat(process.hasExited()).isFalse();
            process.send(Signal.TERM);
            for (Future<Boolean> wait : waits) {
                assertThat(wait.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    @Test
    void shouldEndAWaitThatAnotherThreadClosesAndRefuseEveryUseAfterClose() throws Exception {
        try (ChildProcess sleep = ChildProcess.builder("sleep", "60").start()) {
            PidFd process = PidFd.open(sleep.pid());
            java.util.concurrent.atomic.AtomicReference<Thread> waiter = new java.util.concurrent.atomic.AtomicReference<>();
            Future<Boolean> waiting = executor.submit(() -> {
                waiter.set(Thread.currentThread());
                return process.awaitExit(Duration.ofSeconds(60));
            });
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> waiter.get() != null && java.util.Arrays
                    .stream(waiter.get().getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("readable")));
            process.close(); // while the other thread is inside the wait
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ClosedChannelException.class);
            process.close(); // idempotent
            assertThat(process.isOpen()).isFalse();
            assertThat(process).hasToString("PidFd[pid " + sleep.pid() + ", closed]");
            assertThatThrownBy(() -> process.send(Signal.TERM)).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> process.awaitExit(Duration.ZERO)).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(process::lease).isInstanceOf(ClosedChannelException.class);
            assertThat(sleep.isAlive()).as("closing a pidfd does nothing to the process").isTrue();
        }
    }

    @Test
    void shouldLeaseADescriptorThatStaysAPidfdUntilTheLeaseEnds() throws Exception {
        try (PidFd self = PidFd.open(ProcessHandle.current().pid())) {
            try (DescriptorLease lease = self.lease()) {
                self.close(); // the number stays ours while leased
                assertThat(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + lease.fd())))
                        .hasToString("anon_inode:[pidfd]");
            }
        }
    }
}
