package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Exchanger;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.VirtualThreads;

/** The tools a learner meets after the five seed ideas, each shown doing the one thing it is for. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NextToolsTest {

    @Test
    void shouldOpenACountDownLatchOnceAndForever() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(2);
        latch.countDown();
        assertThat(latch.await(10, TimeUnit.MILLISECONDS)).isFalse();
        latch.countDown();
        latch.countDown(); // no effect: it stays open and cannot be reset (an Event can)
        assertThat(latch.await(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(latch.getCount()).isZero();
    }

    @Test
    void shouldBreakACyclicBarrierForEveryoneWhenOnePartyIsInterrupted() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(3);
        CompletableFuture<Throwable> waiting = new CompletableFuture<>();
        Thread patient = new Thread(() -> {
            try {
                barrier.await();
                waiting.complete(null);
            } catch (Exception e) {
                waiting.complete(e);
            }
        });
        Thread interrupted = new Thread(() -> {
            try {
                barrier.await();
            } catch (InterruptedException | BrokenBarrierException ignored) {
                // the interrupted party gets InterruptedException; the barrier is broken for all
            }
        });
        patient.start();
        interrupted.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> barrier.getNumberWaiting() == 2);

        interrupted.interrupt();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(BrokenBarrierException.class);
        assertThat(barrier.isBroken()).isTrue();
        assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
        barrier.reset();
        assertThat(barrier.isBroken()).isFalse();
    }

    @Test
    void shouldAdvanceAPhaserWhenEveryPartyArrives() throws Exception {
        Phaser phaser = new Phaser(1); // the test thread
        AtomicInteger workDone = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            phaser.register();
            new Thread(() -> {
                for (int phase = 0; phase < 2; phase++) {
                    workDone.incrementAndGet();
                    phaser.arriveAndAwaitAdvance();
                }
                phaser.arriveAndDeregister();
            }).start();
        }
        assertThat(phaser.arriveAndAwaitAdvance()).isEqualTo(1);
        assertThat(workDone.get()).isGreaterThanOrEqualTo(3);
        assertThat(phaser.arriveAndAwaitAdvance()).isEqualTo(2);
        assertThat(workDone).hasValue(6);
        phaser.arriveAndDeregister();
    }

    @Test
    void shouldSwapObjectsBetweenTwoThreadsWithAnExchanger() throws Exception {
        Exchanger<String> exchanger = new Exchanger<>();
        CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
            try {
                return exchanger.exchange("from the worker", 10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(exchanger.exchange("from the test", 10, TimeUnit.SECONDS)).isEqualTo("from the worker");
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("from the test");
    }

    @Test
    void shouldHandAResultAcrossThreadsWithACompletableFuture() throws Exception {
        CompletableFuture<String> handOff = new CompletableFuture<>();
        CompletableFuture<Integer> length = handOff.thenApplyAsync(String::length);
        new Thread(() -> handOff.complete("Hello from the worker thread")).start();

        assertThat(length.get(10, TimeUnit.SECONDS)).isEqualTo(28);
    }

    @Test
    void shouldRunTasksOnVirtualThreadsWhenTheJdkHasThem() throws Exception {
        boolean expected = Runtime.version().feature() >= 21;
        assertThat(VirtualThreads.available()).isEqualTo(expected);
        ExecutorService executor = VirtualThreads.newThreadPerTaskExecutor();
        try {
            boolean ranVirtual = executor.submit(() -> VirtualThreads.isVirtual(Thread.currentThread()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(ranVirtual).isEqualTo(expected);
        } finally {
            executor.shutdown();
        }
    }
}
