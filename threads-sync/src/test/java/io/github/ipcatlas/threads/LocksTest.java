package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.threads.examples.DeadlockExample;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocksTest {

    @Test
    void shouldDetectABuiltDeadlockAndFindNoneOnceItIsBroken() throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread first = DeadlockExample.lockInOrder("first", a, b, bothHoldOne);
        Thread second = DeadlockExample.lockInOrder("second", b, a, bothHoldOne);

        await().atMost(Duration.ofSeconds(10)).until(() -> DeadlockDetector.find().size() == 2);
        assertThat(DeadlockDetector.describe()).containsExactlyInAnyOrder(
                "\"first\" waits for " + DeadlockDetector.find().stream().filter(i -> i.getThreadName().equals("first"))
                        .findFirst().orElseThrow().getLockName() + " held by \"second\"",
                "\"second\" waits for " + DeadlockDetector.find().stream().filter(i -> i.getThreadName().equals("second"))
                        .findFirst().orElseThrow().getLockName() + " held by \"first\"");

        first.interrupt();
        second.interrupt();
        first.join();
        second.join();
        assertThat(DeadlockDetector.find()).isEmpty();
    }

    @Test
    void shouldNeverDeadlockWhenLocksAreTakenInRankOrder() throws Exception {
        OrderedLock x = new OrderedLock();
        OrderedLock y = new OrderedLock();
        AtomicInteger insideBoth = new AtomicInteger();
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> transfers(x, y, insideBoth));
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> transfers(y, x, insideBoth));

        CompletableFuture.allOf(one, two).get(50, TimeUnit.SECONDS);
        assertThat(insideBoth).hasValue(2 * 20_000);
        assertThat(x.rank()).isLessThan(y.rank());
    }

    @Test
    void shouldBackOffAndHoldNothingWhenALockStaysTaken() throws Exception {
        ReentrantLock free = new ReentrantLock();
        ReentrantLock taken = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            taken.lock();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                taken.unlock();
            }
        });
        holder.start();
        held.await();

        assertThat(OrderedLock.tryLockAll(Duration.ofMillis(50), free, taken)).isFalse();
        assertThat(free.isHeldByCurrentThread()).as("released after the failed attempt").isFalse();

        release.countDown();
        holder.join();
        assertThat(OrderedLock.tryLockAll(Duration.ofSeconds(5), free, taken)).isTrue();
        assertThat(free.isHeldByCurrentThread() && taken.isHeldByCurrentThread()).isTrue();
        taken.unlock();
        free.unlock();
    }

    @Test
    void shouldGiveUpATimedLockAndAnInterruptibleOne() throws Exception {
        ReentrantLock lock = new ReentrantLock(true);
        assertThat(lock.isFair()).isTrue();
        lock.lock();
        try {
            CompletableFuture<Boolean> timed = CompletableFuture.supplyAsync(() -> {
                try {
                    return lock.tryLock(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(timed.get(10, TimeUnit.SECONDS)).isFalse();

            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                    lock.unlock();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            waiter.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> lock.hasQueuedThread(waiter));
            waiter.interrupt();
            waiter.join();
            assertThat(interrupted).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldNeverShowAHalfMovedPointToOptimisticReaders() throws Exception {
        OptimisticPoint point = new OptimisticPoint();
        AtomicBoolean moving = new AtomicBoolean(true);
        CompletableFuture<Void> mover = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200_000; i++) {
                point.move(1, 1);
            }
            moving.set(false);
        });
        List<String> torn = new ArrayList<>();
        while (moving.get()) {
            double[] xy = point.read();
            if (xy[0] != xy[1]) {
                torn.add(xy[0] + "," + xy[1]);
            }
        }
        mover.get(50, TimeUnit.SECONDS);

        assertThat(torn).isEmpty();
        assertThat(point.read()).containsExactly(200_000, 200_000);
    }

    @Test
    void shouldComputeEachCacheEntryOnceUnderConcurrentMisses() throws Exception {
        ReadMostlyCache<Integer, String> cache = new ReadMostlyCache<>();
        AtomicInteger computations = new AtomicInteger();
        List<CompletableFuture<String>> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            readers.add(CompletableFuture.supplyAsync(() -> cache.computeIfAbsent(42, k -> {
                computations.incrementAndGet();
                return "v" + k;
            })));
        }
        for (CompletableFuture<String> reader : readers) {
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("v42");
        }
        assertThat(computations).hasValue(1);
        assertThat(cache.get(42)).contains("v42");
        assertThat(cache.size()).isEqualTo(1);
    }

    private static void transfers(OrderedLock from, OrderedLock to, AtomicInteger insideBoth) {
        for (int i = 0; i < 20_000; i++) {
            OrderedLock.lockAll(from, to);
            try {
                insideBoth.incrementAndGet();
            } finally {
                OrderedLock.unlockAll(from, to);
            }
        }
    }
}
