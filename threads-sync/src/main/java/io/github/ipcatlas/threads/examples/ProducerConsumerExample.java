package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.threads.ClosableQueue;
import io.github.ipcatlas.threads.QueueClosedException;

/**
 * Two clean ways to stop consumers: a poison pill (one sentinel per consumer, through an
 * {@link ArrayBlockingQueue} whose small capacity gives back-pressure), and a {@link ClosableQueue} whose
 * {@code close()} wakes every consumer after the last element.
 */
public final class ProducerConsumerExample implements Demo {
    private static final Integer POISON = Integer.MIN_VALUE;
    private static final int ITEMS = 10_000;
    private static final int CONSUMERS = 3;

    public static void main(String[] args) throws Exception {
        new ProducerConsumerExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-producer-consumer";
    }

    @Override
    public String summary() {
        return "one producer, three consumers, stopped by poison pills and by closing the queue";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
        AtomicLong sum = new AtomicLong();
        Thread[] consumers = start(() -> {
            try {
                for (Integer item; !(item = queue.take()).equals(POISON); ) {
                    sum.addAndGet(item);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 1; i <= ITEMS; i++) {
            queue.put(i);
        }
        for (int i = 0; i < CONSUMERS; i++) {
            queue.put(POISON); // one pill per consumer
        }
        join(consumers);
        out.println("poison pill: consumed sum " + sum.get());

        ClosableQueue<Integer> closable = new ClosableQueue<>(16);
        AtomicLong closableSum = new AtomicLong();
        consumers = start(() -> {
            try {
                while (true) {
                    closableSum.addAndGet(closable.take());
                }
            } catch (QueueClosedException drained) {
                // closed and empty: done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 1; i <= ITEMS; i++) {
            closable.put(i);
        }
        closable.close();
        join(consumers);
        out.println("closable queue: consumed sum " + closableSum.get());
    }

    private static Thread[] start(Runnable consumer) {
        Thread[] threads = new Thread[CONSUMERS];
        for (int i = 0; i < CONSUMERS; i++) {
            threads[i] = new Thread(consumer, "consumer-" + i);
            threads[i].start();
        }
        return threads;
    }

    private static void join(Thread[] threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
