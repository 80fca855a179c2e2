package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClosableQueueTest {

    @Test
    void shouldHandOutElementsInOrder() throws InterruptedException {
        ClosableQueue<String> queue = new ClosableQueue<>(4);
        queue.put("a");
        queue.put("b");

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.poll(Duration.ZERO)).contains("b");
        assertThat(queue.poll(Duration.ofMillis(10))).isEmpty();
    }

    @Test
    void shouldPushBackWhenFull() throws InterruptedException {
        ClosableQueue<Integer> queue = new ClosableQueue<>(2);
        queue.put(1);
        queue.put(2);

        assertThat(queue.offer(3, Duration.ofMillis(20))).isFalse();
        queue.take();
        assertThat(queue.offer(3, Duration.ZERO)).isTrue();
    }

    @Test
    void shouldWakeABlockedConsumerOnCloseAfterItDrainsTheRest() throws Exception {
        ClosableQueue<String> queue = new ClosableQueue<>(4);
        CompletableFuture<Throwable> consumer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                queue.take();
                consumer.complete(null);
            } catch (Throwable t) {
                consumer.complete(t);
            }
        });
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);

        queue.close();

        assertThat(consumer.get(10, TimeUnit.SECONDS)).isInstanceOf(QueueClosedException.class)
                .hasMessageContaining("closed and drained");
    }

    @Test
    void shouldLetConsumersDrainWhatWasQueuedBeforeClose() throws InterruptedException {
        ClosableQueue<String> queue = new ClosableQueue<>(4);
        queue.put("last");
        queue.close();

        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.take()).isEqualTo("last");
        assertThatThrownBy(queue::take).isInstanceOf(QueueClosedException.class);
        assertThatThrownBy(() -> queue.poll(Duration.ofSeconds(1))).isInstanceOf(QueueClosedException.class);
    }

    @Test
    void shouldWakeABlockedProducerOnCloseAndRefuseItsElement() throws Exception {
        ClosableQueue<String> queue = new ClosableQueue<>(1);
        queue.put("fills it");
        CompletableFuture<Throwable> producer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                queue.put("blocked");
                producer.complete(null);
            } catch (Throwable t) {
                producer.complete(t);
            }
        });
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);

        queue.close();

        assertThat(producer.get(10, TimeUnit.SECONDS)).isInstanceOf(QueueClosedException.class)
                .hasMessageContaining("blocked was not added");
        assertThatThrownBy(() -> queue.put("after")).isInstanceOf(QueueClosedException.class);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void shouldDrainInBatches() throws InterruptedException {
        ClosableQueue<Integer> queue = new ClosableQueue<>(10);
        for (int i = 0; i < 7; i++) {
            queue.put(i);
        }
        List<Integer> batch = new ArrayList<>();

        assertThat(queue.drainTo(batch, 5)).isEqualTo(5);
        assertThat(queue.drainTo(batch, 5)).isEqualTo(2);
        assertThat(queue.drainTo(batch, 5)).isZero();
        assertThat(batch).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void shouldRefuseBadArguments() {
        assertThatThrownBy(() -> new ClosableQueue<>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue capacity 0");
        ClosableQueue<String> queue = new ClosableQueue<>(1);
        assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.poll(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
