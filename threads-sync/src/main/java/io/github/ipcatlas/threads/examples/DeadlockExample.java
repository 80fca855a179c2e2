package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.threads.DeadlockDetector;
import io.github.ipcatlas.threads.OrderedLock;

/**
 * A deadlock made on purpose, found, broken, and then avoided. Two threads take two locks in opposite orders; a
 * latch makes sure each holds its first lock before asking for the second, so they deadlock every time.
 * {@link DeadlockDetector} finds the cycle, interrupting the threads (they lock interruptibly) breaks it, and the
 * same two transfers with {@link OrderedLock#lockAll} complete.
 */
public final class DeadlockExample implements Demo {

    public static void main(String[] args) throws Exception {
        new DeadlockExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-deadlock";
    }

    @Override
    public String summary() {
        return "two threads lock A,B and B,A: the deadlock is detected, broken, then avoided by lock ordering";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread first = lockInOrder("A-then-B", a, b, bothHoldOne);
        Thread second = lockInOrder("B-then-A", b, a, bothHoldOne);

        List<String> cycle = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cycle.isEmpty() && System.nanoTime() < deadline) {
            cycle = DeadlockDetector.describe();
            Thread.onSpinWait();
        }
        out.println("deadlock detected: " + cycle.size() + " threads");
        cycle.stream().sorted().forEach(line -> out.println("  " + line.replaceAll("@[0-9a-f]+", "")));
        first.interrupt();
        second.interrupt();
        first.join();
        second.join();
        out.println("broken by interrupting both threads");

        OrderedLock x = new OrderedLock();
        OrderedLock y = new OrderedLock();
        Thread one = new Thread(() -> withBoth(x, y));
        Thread two = new Thread(() -> withBoth(y, x)); // opposite order asked for, same order taken
        one.start();
        two.start();
        one.join();
        two.join();
        out.println("with lock ordering: both threads finished");
    }

    /**
     * Starts a thread named {@code name} that locks {@code outer}, waits until {@code latch} says every such thread
     * holds its first lock, then locks {@code inner}, interruptibly. Two of them with the locks swapped deadlock.
     */
    public static Thread lockInOrder(String name, ReentrantLock outer, ReentrantLock inner, CountDownLatch latch) {
        Thread thread = new Thread(() -> {
            try {
                outer.lockInterruptibly();
                try {
                    latch.countDown();
                    latch.await();
                    inner.lockInterruptibly();
                    inner.unlock();
                } finally {
                    outer.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // how the deadlock is broken
            }
        }, name);
        thread.start();
        return thread;
    }

    private static void withBoth(OrderedLock p, OrderedLock q) {
        for (int i = 0; i < 10_000; i++) {
            OrderedLock.lockAll(p, q);
            OrderedLock.unlockAll(p, q);
        }
    }
}
