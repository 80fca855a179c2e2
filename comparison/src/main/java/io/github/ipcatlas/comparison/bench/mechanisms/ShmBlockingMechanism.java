package io.github.ipcatlas.comparison.bench.mechanisms;

import io.github.ipcatlas.shm.ShmRing;

/**
 * {@link ShmMechanism} with both sides <b>sleeping</b> when there is nothing to do: a short spin, a few yields, then a
 * {@code futex} wait on a word in the segment, woken by the other side only when it announced that it sleeps.
 */
public final class ShmBlockingMechanism extends ShmMechanism {
    @Override
    public String id() {
        return "shm-blocking";
    }

    @Override
    public String description() {
        return "ipc-shm's ring in shared memory, one each way; a side with nothing to do spins briefly, then sleeps in futex";
    }

    @Override
    ShmRing.WaitStrategy strategy() {
        return ShmRing.WaitStrategy.BLOCK;
    }
}
