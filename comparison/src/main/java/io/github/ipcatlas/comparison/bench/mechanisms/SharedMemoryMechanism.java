package io.github.ipcatlas.comparison.bench.mechanisms;

import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * A mechanism in shared memory with both sides spinning: round trips well under a microsecond, millions of messages a
 * second, so the JIT needs many of them before measuring, and a measurement needs many to last.
 */
interface SharedMemoryMechanism extends Mechanism {
    /**
     * Sub-microsecond round trips: 10,000 of them leave the path half compiled; 200,000 take under a second. Large
     * messages are copies, compiled after a few hundred: 200,000 or 2 GiB, whichever is fewer (at least 100).
     */
    @Override
    default long minimumWarmup(int size) {
        return Math.min(200_000, Math.max(100, (2L << 30) / size));
    }

    /**
     * Tens of millions of small messages a second: 100,000 of them would be over in a few milliseconds. Two million, or
     * 2 GiB of large ones.
     */
    @Override
    default long minimumMessages(int size) {
        return Math.min(2_000_000, Math.max(1, (2L << 30) / size));
    }

    /** Closes the mappings a failed {@code connect} made so far (null: not made yet). */
    static void closeMapped(MappedFile... memories) {
        for (MappedFile memory : memories) {
            if (memory != null) {
                memory.close();
            }
        }
    }
}
