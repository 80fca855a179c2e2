package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * Two processes mapping one file, a ring of message slots each way ({@link SpinSlotLink}), handed over with
 * release/acquire counters and <b>busy-waiting</b>: no system call at all once both sides have mapped the file. The
 * file is deleted as soon as both have it mapped (the pages stay until both unmap).
 */
public final class MmapMechanism implements Mechanism {
    @Override
    public String id() {
        return "mmap";
    }

    @Override
    public String description() {
        return "a shared file mapping, a slot each way (a ring when streaming); both sides SPIN on release/acquire counters";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Path directory = Files.createTempDirectory("ipc-atlas-bench-mmap-");
        Path file = directory.resolve("slots");
        int slots = SpinSlotLink.slots(mode);
        long slot = SpinSlotLink.directionBytes(mode.size(), slots);
        MappedFile map = MappedFile.create(file, 2 * slot, Growth.PREALLOCATE);
        try {
            return ChildConnection.start(ChildConnection.peer(this, mode, file.toString(), String.valueOf(slots)),
                    peer -> new SpinSlotLink(map, 0, slot, slots), map);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        MappedFile map = MappedFile.map(Path.of(args.get(0)), MapMode.READ_WRITE);
        long slot = map.length() / 2;
        return new SpinSlotLink(map, slot, 0, Integer.parseInt(args.get(1)));
    }
}
