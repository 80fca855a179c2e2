package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.shm.ShmRing;

/**
 * Two processes, two {@link ShmRing}s in POSIX shared-memory segments, both sides <b>spinning</b>. The segments are
 * unlinked as soon as both sides have them mapped, so nothing outlives the run.
 */
public class ShmMechanism extends RingMechanism {
    @Override
    public String id() {
        return "shm";
    }

    @Override
    public String description() {
        return "ipc-shm's ring in POSIX shared-memory segments, one each way; both sides SPIN";
    }

    @Override
    ShmRing.WaitStrategy strategy() {
        return ShmRing.WaitStrategy.SPIN;
    }

    @Override
    String newName(String role) {
        return IpcNames.unique("bench-" + id() + "-" + role);
    }

    @Override
    MappedFile create(String name, long bytes) throws IOException {
        return SharedMemory.create(name, bytes).memory();
    }

    @Override
    MappedFile open(String name) throws IOException {
        return SharedMemory.open(name, false).memory();
    }

    @Override
    void remove(String name) throws IOException {
        SharedMemory.unlinkIfExists(name);
    }
}
