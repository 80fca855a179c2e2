package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.SharedMemory;

/**
 * Two processes sharing a POSIX shared-memory segment, a ring of slots each way ({@link SpinSlotLink}), both sides
 * <b>spinning</b>. The segment is unlinked as soon as both sides have it mapped, so nothing outlives the run.
 */
public final class ShmMechanism implements Mechanism {

    @Override
    public String id() {
        return "shm";
    }

    @Override
    public String description() {
        return "a POSIX shared-memory segment, a slot each way (a ring when streaming); both sides SPIN on release/acquire counters";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        String name = IpcNames.unique("bench-shm");
        int slots = SpinSlotLink.slots(mode);
        long slot = SpinSlotLink.directionBytes(mode.size(), slots);
        SharedMemory segment = SharedMemory.create(name, 2 * slot);
        try {
            return ChildConnection.start(ChildConnection.peer(this, mode, name, String.valueOf(slots)),
                    peer -> new SpinSlotLink(segment.memory(), 0, slot, slots), segment);
        } finally {
            SharedMemory.unlinkIfExists(name); // both have it mapped (or we failed): the name has done its job
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        SharedMemory segment = SharedMemory.open(args.get(0), false);
        long slot = segment.size() / 2;
        return new SpinSlotLink(segment.memory(), slot, 0, Integer.parseInt(args.get(1)));
    }
}
