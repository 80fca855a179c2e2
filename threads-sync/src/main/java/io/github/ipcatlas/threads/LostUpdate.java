package io.github.ipcatlas.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The lost update of {@code counter++}, shown deterministically: instead of hoping the scheduler interleaves
 * threads badly, every thread reads the shared value, then all wait at a {@link CyclicBarrier}, then every thread
 * writes what it read plus one. All reads happen before any write, so {@code threads} increments leave the counter
 * at exactly 1, every time. That is the interleaving that, without the barrier, happens now and then in production.
 *
 * <p>The barrier also gives the demonstration its memory effects: actions before {@code await()} happen-before
 * actions after it in every other thread, so each thread's read of 0 is certain, not a visibility accident.
 */
public final class LostUpdate {
    private long counter; // deliberately unguarded: this class exists to show what goes wrong

    private LostUpdate() {
    }

    /**
     * Runs {@code threads} threads that each increment one shared counter once, read-barrier-write.
     *
     * @return the counter afterwards: always 1
     */
    public static long run(int threads) throws InterruptedException {
        if (threads < 2) {
            throw new IllegalArgumentException("threads " + threads + " must be at least 2 for a race");
        }
        LostUpdate shared = new LostUpdate();
        CyclicBarrier allHaveRead = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                long read = shared.counter;            // step 1 of counter++: read
                try {
                    allHaveRead.await();                // force the bad interleaving: every read before any write
                } catch (InterruptedException | BrokenBarrierException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    return;
                }
                shared.counter = read + 1;              // steps 2 and 3: add, write — over the others' writes
            }, "lost-update-" + i);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(); // join: the workers' writes happen-before our read below
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a worker failed", failures.get(0));
        }
        return shared.counter;
    }
}
