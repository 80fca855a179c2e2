package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class CpuClockTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldReadAtLeastWhatProcStatSaysThisProcessUsed() throws IOException {
        // /proc/self/stat (through ProcessHandle) rounds the same sum down to clock ticks, so read first it is not more
        long ticks = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        long nanos = CpuClock.ofThisProcess();

        assertThat(nanos).isGreaterThanOrEqualTo(ticks).isPositive();
    }

    @Test
    void shouldCountTheTimeOfABusyChildButNotOfASleepingOne() throws IOException {
        try (ChildProcess busy = ChildProcess.builder("python3", "-c", "while True: pass").start();
             ChildProcess sleeping = ChildProcess.builder("sleep", "60").start()) {
            long busyStart = CpuClock.of(busy.pid());
            long sleepingStart = CpuClock.of(sleeping.pid());

            await().atMost(DEADLINE).until(() -> CpuClock.of(busy.pid()) - busyStart > 200_000_000L);
            assertThat(CpuClock.of(sleeping.pid()) - sleepingStart).as("a process asleep in nanosleep uses no CPU")
                    .isLessThan(20_000_000L); // its start-up at most
        }
    }

    @Test
    void shouldSayWhenTheProcessIsGone() throws IOException {
        long pid;
        try (ChildProcess done = ChildProcess.builder("true").start()) {
            assertThat(done.awaitExit(DEADLINE)).isZero();
            pid = done.pid();
        }

        assertThatThrownBy(() -> CpuClock.of(pid)).isInstanceOf(IOException.class)
                .hasMessageContaining("process " + pid).hasMessageContaining("exists");
    }

    @Test
    void shouldRefuseWhatIsNotAProcessIdBeforeAnyCall() {
        for (long pid : new long[] {0, -1, 1L << 23, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> CpuClock.of(pid)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pid " + pid);
        }
    }
}
