package io.github.ipcatlas.comparison.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread allocated, and garbage collections in the whole JVM, since {@link #start()}: the
 * evidence that a measured loop allocates nothing.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long startBytes;
    private final long startCollections;

    private AllocationMeter() {
        this.startCollections = collectionsSoFar();
        this.startBytes = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Starts measuring on the current thread. */
    public static AllocationMeter start() {
        return new AllocationMeter();
    }

    /** Bytes the current thread allocated since {@link #start()}; call it on the same thread. */
    public long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes() - startBytes;
    }

    /** Collections of every collector since {@link #start()}. */
    public long collections() {
        return collectionsSoFar() - startCollections;
    }

    private static long collectionsSoFar() {
        long total = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, collector.getCollectionCount());
        }
        return total;
    }
}
