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
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
        // Misses overlap only if every reader reads the map before any takes the write lock, which no timing
        // guarantees. So the cache's own lock lines them up: they queue for the read lock behind the write lock held
        // here, which is then downgraded to a read lock; that lets each in to miss, and keeps each from the write lock.
        ReentrantReadWriteLock lock = lockOf(cache);
        AtomicInteger computations = new AtomicInteger();
        String[] results = new String[8];
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            int index = i;
            Thread reader = new Thread(() -> results[index] = cache.computeIfAbsent(42, k -> {
                computations.incrementAndGet();
                return "v" + k;
            }), "cache-reader-" + i);
            reader.setDaemon(true);
            readers.add(reader);
        }
        lock.writeLock().lock();
        try {
            readers.forEach(Thread::start);
            awaitAllWaitingIn(readers, "ReentrantReadWriteLock$ReadLock");
            lock.readLock().lock();
        } finally {
            lock.writeLock().unlock();
        }
        try {
            awaitAllWaitingIn(readers, "ReentrantReadWriteLock$WriteLock"); // all eight missed
        } finally {
            lock.readLock().unlock();
        }
        for (Thread reader : readers) {
            reader.join(10_000);
            assertThat(reader.isAlive()).as(reader.getName() + " finished").isFalse();
        }

        assertThat(results).containsOnly("v42");
        assertThat(computations).as("computations after eight concurrent misses").hasValue(1);
        assertThat(cache.get(42)).contains("v42");
        assertThat(cache.size()).isEqualTo(1);
    }

    private static ReentrantReadWriteLock lockOf(ReadMostlyCache<?, ?> cache) throws ReflectiveOperationException {
        java.lang.reflect.Field lock = ReadMostlyCache.class.getDeclaredField("lock");
        lock.setAccessible(true);
        return (ReentrantReadWriteLock) lock.get(cache);
    }

    /** Waits until every thread is parked in {@code lockClass}'s lock(), queued on it. */
    private static void awaitAllWaitingIn(List<Thread> threads, String lockClass) {
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.stream().allMatch(thread ->
                thread.getState() == Thread.State.WAITING && java.util.Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().endsWith(lockClass) && frame.getMethodName().equals("lock"))));
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
