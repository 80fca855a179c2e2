package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.pipes.peers.EventFdPeer;

/** Counters shared with a child JVM that inherited them as descriptors 3 and 4. */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventFdCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void shouldPingPongCountsWithAChildThousandsOfTimes() throws Exception {
        int rounds = 5_000;
        try (EventFd toChild = EventFd.create(0, EventFd.Mode.COUNTER);
             EventFd fromChild = EventFd.create(0, EventFd.Mode.COUNTER);
             ChildProcess child = ChildJvm.builder(EventFdPeer.class).args("echo", String.valueOf(rounds))
                     .inheritFd(toChild.channel(), 3).inheritFd(fromChild.channel(), 4).quickStart().start()) {
            for (int i = 1; i <= rounds; i++) {
                assertThat(toChild.add(i, DEADLINE)).isTrue();
                assertThat(fromChild.take(DEADLINE)).as("round " + i).isEqualTo(i);
            }
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldLetAChildTakeASemaphoreOneAtATimeAsThisProcessReleasesIt() throws Exception {
        try (EventFd semaphore = EventFd.create(0, EventFd.Mode.SEMAPHORE);
             ChildProcess child = ChildJvm.builder(EventFdPeer.class).args("take-each", "5")
                     .inheritFd(semaphore.channel(), 3).quickStart().start()) {
            semaphore.add(2);
            semaphore.add(3);
            assertThat(child.nextLine(DEADLINE)).isEqualTo("took 5"); // five takes of one, from two adds
            assertThat(child.awaitExit(DEADLINE)).isZero();
            assertThat(semaphore.take(Duration.ZERO)).as("nothing left").isZero();
        }
    }

    @Test
    void shouldEndATimedTakeAtItsDeadlineWhenTheOnlyOtherHolderWasKilled() throws Exception {
        try (EventFd counter = EventFd.create(0, EventFd.Mode.COUNTER);
             ChildProcess child = ChildJvm.builder(EventFdPeer.class).args("wait")
                     .inheritFd(counter.channel(), 3).quickStart().start()) {
            child.awaitLine("ready", DEADLINE);
            child.kill(9);
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(137);
            // an eventfd has no end of stream: a dead peer is seen only by a deadline (or by watching the process)
            long start = System.nanoTime();
            assertThat(counter.take(Duration.ofMillis(300))).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }
}
