package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventTest {

    @Test
    void shouldReleaseEveryWaiterWhenSet() throws InterruptedException {
        Event event = new Event();
        AtomicInteger released = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> {
                try {
                    event.await();
                    released.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiters.add(t);
            t.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        assertThat(released).hasValue(0);

        event.set();

        for (Thread t : waiters) {
            t.join();
        }
        assertThat(released).hasValue(5);
    }

    @Test
    void shouldStaySetUntilClearedLikePythonsEvent() throws InterruptedException {
        Event event = new Event();
        assertThat(event.isSet()).isFalse();

        event.set();
        assertThat(event.isSet()).isTrue();
        assertThat(event.await(Duration.ZERO)).isTrue();
        event.await(); // returns at once: the flag stays set
        assertThat(event.isSet()).isTrue();

        event.clear();
        assertThat(event.isSet()).isFalse();
        assertThat(event.await(Duration.ofMillis(20))).isFalse();
        assertThat(event).hasToString("Event[clear]");
    }

    @Test
    void shouldWakeATimedWaiterThatIsSetInTime() throws Exception {
        Event event = new Event();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return event.await(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        event.set();

        assertThat(waited.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldStopWaitingWhenInterrupted() throws InterruptedException {
        Event event = new Event();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                event.await();
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);

        waiter.interrupt();
        waiter.join();

        assertThat(outcome.join()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldRefuseBadTimeouts() {
        Event event = new Event();
        assertThatThrownBy(() -> event.await(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout PT-0.001S is negative");
        assertThatThrownBy(() -> event.await(null)).isInstanceOf(NullPointerException.class);
    }
}
