package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.threads.Counter;
import io.github.ipcatlas.threads.LostUpdate;

/**
 * Why the shared-variable example needs care: ten threads run {@code counter++} with the bad interleaving forced
 * (every read before any write), and nine increments are lost; then the same ten increments through each safe
 * {@link Counter}.
 */
public final class RaceExample implements Demo {

    public static void main(String[] args) throws Exception {
        new RaceExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-race";
    }

    @Override
    public String summary() {
        return "counter++ loses updates (interleaving forced with a barrier); the safe counters do not";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        out.println("counter++ by 10 threads, every read before any write: " + LostUpdate.run(10));
        Counter[] safe = {Counter.synchronizedCounter(), Counter.atomic(), Counter.longAdder(), Counter.locked(),
            Counter.varHandle()};
        String[] names = {"synchronized", "AtomicLong", "LongAdder", "ReentrantLock", "VarHandle.getAndAdd"};
        for (int i = 0; i < safe.length; i++) {
            Counter counter = safe[i];
            Thread[] threads = new Thread[10];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    for (int k = 0; k < 100_000; k++) {
                        counter.increment();
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            out.println(names[i] + ": 10 threads x 100000 increments = " + counter.get());
        }
    }
}
