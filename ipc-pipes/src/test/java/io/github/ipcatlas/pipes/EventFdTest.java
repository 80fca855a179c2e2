package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The eventfd counter in one process: counting, semaphore takes, limits, deadlines, bad input and lifetime. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventFdTest {
    @Test
    void shouldMergeAddsIntoOneTakeOfTheirSumAndLeaveZero() throws IOException {
        try (EventFd counter = EventFd.create(2, EventFd.Mode.COUNTER)) {
            counter.add(3);
            counter.add(4);
            assertThat(counter.take()).isEqualTo(9);
            assertThat(counter.take(Duration.ZERO)).isZero();
        }
    }

    @Test
    void shouldTakeOneAtATimeInSemaphoreMode() throws IOException {
        try (EventFd semaphore = EventFd.create(3, EventFd.Mode.SEMAPHORE)) {
            assertThat(semaphore.mode()).isEqualTo(EventFd.Mode.SEMAPHORE);
            assertThat(List.of(semaphore.take(), semaphore.take(), semaphore.take())).containsExactly(1L, 1L, 1L);
            assertThat(semaphore.take(Duration.ofMillis(50))).isZero();
        }
    }

    /** Threads of this test's own: the common pool runs one task at a time on two CPUs (JDK 25). */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void shouldWakeATakeWaitingInAnotherThread() throws Exception {
        try (EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER)) {
            Future<Long> taken = threads.submit(() -> counter.take(Duration.ofSeconds(20)));
            Thread.sleep(100); // most likely waiting by now; if not, the take finds the count at once
            counter.add(42);
            assertThat(taken.get(20, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void shouldHoldUpToTheMaximumCountAndRefuseAnAddBeyondItUntilItsDeadline() throws IOException {
        try (EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER)) {
            counter.add(Long.MAX_VALUE);
            counter.add(Long.MAX_VALUE); // 2^64 - 2 in all: the largest count
            assertThat(counter.add(1, Duration.ofMillis(50))).as("no room for one more").isFalse();
            long taken = counter.take();
            assertThat(taken).isEqualTo(EventFd.MAX_COUNT);
            assertThat(Long.toUnsignedString(taken)).isEqualTo("18446744073709551614");
            assertThat(counter.add(1, Duration.ofMillis(50))).as("room again once taken").isTrue();
        }
    }

    @Test
    void shouldGiveUpAnAddThatFitsOnlyPartlyAtItsDeadlineWithoutAddingAnything() throws IOException {
        try (EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER)) {
            counter.add(Long.MAX_VALUE);
            counter.add(Long.MAX_VALUE - 5); // room for 5 more: poll says writable, an add of 10 would block
            long start = System.nanoTime();
            assertThat(counter.add(10, Duration.ofMillis(200))).isFalse();
            assertThat(System.nanoTime() - start).as("waited until the deadline, not less")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(counter.add(5, Duration.ZERO)).as("what fits still goes in").isTrue();
            assertThat(counter.take()).isEqualTo(EventFd.MAX_COUNT);
        }
    }

    @Test
    void shouldEndATimedTakeAtItsDeadlineWhileAnotherThreadWaitsUntimed() throws Exception {
        try (EventFd semaphore = EventFd.create(0, EventFd.Mode.SEMAPHORE)) {
            Future<Long> untimed = threads.submit(() -> semaphore.take());
            try {
                Thread.sleep(100); // the untimed take is most likely waiting by now; the timed one must not queue behind it
                Future<Long> timed = threads.submit(() -> semaphore.take(Duration.ofMillis(200)));
                assertThat(timed.get(5, TimeUnit.SECONDS)).isZero();
            } finally {
                semaphore.add(1); // the untimed take ends whatever happened above
            }
            assertThat(untimed.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseBadCountsAndTimeoutsBeforeAnySystemCall() throws IOException {
        assertThatThrownBy(() -> EventFd.create(-1, EventFd.Mode.COUNTER)).hasMessageContaining("-1");
        assertThatThrownBy(() -> EventFd.create(1L << 32, EventFd.Mode.COUNTER)).hasMessageContaining("4294967296");
        assertThatThrownBy(() -> EventFd.create(0, null)).isInstanceOf(NullPointerException.class);
        try (EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER)) {
            assertThatThrownBy(() -> counter.add(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("count 0");
            assertThatThrownBy(() -> counter.add(-5, Duration.ZERO)).hasMessageContaining("count -5");
            assertThatThrownBy(() -> counter.take(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> counter.take(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> counter.add(1, null)).isInstanceOf(NullPointerException.class);
            assertThat(counter.take(Duration.ZERO)).as("nothing was added by the refused calls").isZero();
        }
    }

    @Test
    void shouldBeCloseOnExecAndNonBlockingAndLeaveNoDescriptorBehindAfterClose() throws IOException {
        EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER);
        int fd = counter.channel().fd();
        List<String> info = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd));
        String flags = info.stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
        int octal = Integer.parseInt(flags.substring(6).strip(), 8);
        assertThat(octal & 02000000).as("O_CLOEXEC in " + flags).isNotZero();
        assertThat(octal & 04000).as("O_NONBLOCK in " + flags).isNotZero();
        String id = info.stream().filter(l -> l.startsWith("eventfd-id:")).findFirst().orElse(null);
        counter.close();
        counter.close();
        assertThat(counter.isOpen()).isFalse();
        assertThatThrownBy(counter::take).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> counter.add(1)).isInstanceOf(ClosedChannelException.class);
        // last, so that a kernel whose fdinfo lacks eventfd-id, which we still support, runs every check above
        assumeTrue(id != null, "this kernel's fdinfo has no eventfd-id line: no way to tell our eventfd from another");
        assertThat(descriptorsShowing(id)).as("descriptors still on our eventfd").isEmpty();
    }

    @Test
    void shouldAdoptOnlyAnInheritedEventfdInTheExpectedMode() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open();
             EventFd semaphore = EventFd.create(0, EventFd.Mode.SEMAPHORE)) {
            int pipeFd = pipe.readEnd().fd();
            assertThatThrownBy(() -> EventFd.inherited(pipeFd, EventFd.Mode.COUNTER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an eventfd")
                    .hasMessageContaining("pipe:");
            assertThatThrownBy(() -> EventFd.inherited(-3, EventFd.Mode.COUNTER)).hasMessageContaining("-3");
            assertThatThrownBy(() -> EventFd.inherited(1_000_000, EventFd.Mode.COUNTER))
                    .hasMessageContaining("not open");
            int fd = semaphore.channel().fd();
            boolean kernelSaysMode = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                    .anyMatch(l -> l.startsWith("eventfd-semaphore:"));
            if (kernelSaysMode) {
                assertThatThrownBy(() -> EventFd.inherited(fd, EventFd.Mode.COUNTER))
                        .hasMessageContaining("SEMAPHORE mode, not COUNTER");
            }
            assertThat(semaphore.take(Duration.ZERO)).isZero();
        }
    }

    private static List<Integer> descriptorsShowing(String idLine) throws IOException {
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path info : fds.toList()) {
                try {
                    if (Files.readAllLines(info).contains(idLine)) {
                        found.add(Integer.parseInt(info.getFileName().toString()));
                    }
                } catch (IOException closedMeanwhile) {
                    // another thread's descriptor, closed as we listed: not ours
                }
            }
        }
        return found;
    }
}
