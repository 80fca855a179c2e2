package io.github.ipcatlas.comparison.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time the current thread used since {@link #start()}: the measuring thread's on the benchmark's side, the serving
 * thread's in the peer ({@link EchoPeer}). Per thread, so a spinning side shows a whole core and a sleeping one what
 * it really ran, whatever else the JVM does meanwhile (the JIT, the collector). A thread's own CPU clock is exact when
 * the thread reads it (the kernel brings it up to date on the read), unlike another thread's or process's, which it
 * updates only at a scheduler tick.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long start;

    private CpuMeter() {
        this.start = THREADS.getCurrentThreadCpuTime();
    }

    /** Starts counting on the current thread. */
    static CpuMeter start() {
        return new CpuMeter();
    }

    /** Nanoseconds of CPU the current thread used since {@link #start()}; call it on the same thread. */
    long nanos() {
        return THREADS.getCurrentThreadCpuTime() - start;
    }
}
