package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AutoResetEventTest {

    @Test
    void shouldReleaseExactlyOneWaiterPerSet() throws InterruptedException {
        AutoResetEvent event = new AutoResetEvent();
        AtomicInteger released = new AtomicInteger();
        Runnable waiter = () -> {
            try {
                event.await();
                released.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<Thread> threads = List.of(new Thread(waiter), new Thread(waiter));
        threads.forEach(Thread::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));

        event.set();
        await().atMost(Duration.ofSeconds(10)).untilAtomic(released, org.hamcrest.Matchers.equalTo(1));
        assertThat(threads.stream().filter(Thread::isAlive).count()).isEqualTo(1);
        assertThat(event.isSet()).as("consumed by the waiter it released").isFalse();

        event.set();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(released).hasValue(2);
    }

    @Test
    void shouldKeepOneSetForTheNextWaiterAndCoalesceRepeats() throws InterruptedException {
        AutoResetEvent event = new AutoResetEvent();
        event.set();
        event.set();

        assertThat(event.isSet()).isTrue();
        assertThat(event.await(Duration.ZERO)).isTrue();
        assertThat(event.await(Duration.ofMillis(20))).as("two sets with nobody waiting count as one").isFalse();
    }
}
