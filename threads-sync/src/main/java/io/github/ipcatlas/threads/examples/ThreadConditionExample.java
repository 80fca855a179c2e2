package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.Demo;

/**
 * The Java twin of the write-up's {@code threading.Condition} example: a producer appends 1 under the lock and
 * notifies; the consumer waits in a loop while the list is empty, then pops and prints {@code Consumed: 1}.
 * The loop ({@code while}, never {@code if}) is what makes it correct whichever thread runs first and despite
 * spurious wake-ups: if the producer ran first, the consumer never waits at all.
 */
public final class ThreadConditionExample implements Demo {

    public static void main(String[] args) throws Exception {
        new ThreadConditionExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-condition";
    }

    @Override
    public String summary() {
        return "producer and consumer meet at a condition variable; prints Consumed: 1";
    }

    @Override
    public String seed() {
        return """
                import threading

                condition = threading.Condition()
                shared_data = []

                def producer():
                    with condition:
                        shared_data.append(1)
                        condition.notify()

                def consumer():
                    with condition:
                        while not shared_data:
                            condition.wait()
                        print(f"Consumed: {shared_data.pop()}")

                threading.Thread(target=producer).start()
                threading.Thread(target=consumer).start()
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        Deque<Integer> sharedData = new ArrayDeque<>(); // guarded by lock

        Thread producer = new Thread(() -> {
            lock.lock();
            try {
                sharedData.add(1);
                condition.signal(); // condition.notify()
            } finally {
                lock.unlock();
            }
        });
        Thread consumer = new Thread(() -> {
            lock.lock();
            try {
                while (sharedData.isEmpty()) {
                    condition.awaitUninterruptibly(); // condition.wait()
                }
                out.println("Consumed: " + sharedData.removeLast());
            } finally {
                lock.unlock();
            }
        });
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
    }
}
