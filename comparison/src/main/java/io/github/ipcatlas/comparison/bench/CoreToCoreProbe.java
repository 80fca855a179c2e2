package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.ipcatlas.core.CpuAffinity;

/**
 * The round trip of one cache line between the first two CPUs this process may use: two threads, one pinned to each,
 * take turns writing one shared counter, spinning as the rings do. It is the floor under every shared-memory figure,
 * and on a VM it moves when the host moves the vCPUs (on the development VM it flips between ~125 ns, a shared cache,
 * and ~500 ns, two dies), so {@code --runs} records it next to each measurement: a reader can tell which placement a
 * figure was measured in.
 */
public final class CoreToCoreProbe {
    private static final int WARMUP = 20_000;
    private static final int ROUNDS = 100_000;
    /** However the two threads are scheduled, the probe gives up after this long. */
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    private CoreToCoreProbe() {
    }

    /**
     * Nanoseconds per round trip of the cache line, the mean of {@value #ROUNDS} after {@value #WARMUP} untimed; NaN
     * where this process may use fewer than two CPUs or a thread could not be pinned, or the probe did not finish
     * within its deadline.
     */
    public static double measure() throws IOException {
        int[] cpus = CpuAffinity.allowedCpus();
        if (cpus.length < 2) {
            return Double.NaN;
        }
        AtomicLong line = new AtomicLong();
        AtomicLong elapsed = new AtomicLong(-1);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        Thread responder = start(() -> respond(line, cpus[1], deadline));
        Thread initiator = start(() -> elapsed.set(initiate(line, cpus[0], deadline)));
        try {
            initiator.join(DEADLINE_NANOS / 1_000_000 + 1_000);
            responder.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
        return elapsed.get() > 0 ? (double) elapsed.get() / ROUNDS : Double.NaN;
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(body, "core-to-core probe");
        thread.setDaemon(true); // never holds the JVM up, whatever happens to the other side
        thread.start();
        return thread;
    }

    /** Writes the odd values and waits for the even ones; the nanoseconds of the timed rounds, or -1. */
    private static long initiate(AtomicLong line, int cpu, long deadline) {
        if (!pin(cpu)) {
            return -1;
        }
        long start = 0;
        for (long i = 0; i < WARMUP + ROUNDS; i++) {
            if (i == WARMUP) {
                start = System.nanoTime();
            }
            line.set(2 * i + 1);
            if (!await(line, 2 * i + 2, deadline)) {
                return -1;
            }
        }
        return System.nanoTime() - start;
    }

    /** Answers each odd value with the next even one. */
    private static void respond(AtomicLong line, int cpu, long deadline) {
        if (!pin(cpu)) {
            return;
        }
        for (long i = 0; i < WARMUP + ROUNDS; i++) {
            if (!await(line, 2 * i + 1, deadline)) {
                return;
            }
            line.set(2 * i + 2);
        }
    }

    private static boolean await(AtomicLong line, long value, long deadline) {
        for (int spins = 1; line.get() != value; spins++) {
            if ((spins & 0xFFF) == 0 && System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private static boolean pin(int cpu) {
        try {
            CpuAffinity.pinCurrentThread(cpu);
            return true;
        } catch (IOException refused) { // a CPU taken away meanwhile: no figure rather than a wrong one
            return false;
        }
    }
}
