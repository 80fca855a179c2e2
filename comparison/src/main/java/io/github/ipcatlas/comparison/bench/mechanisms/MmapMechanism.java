package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.ShmRing;

/**
 * Two processes mapping two files, an {@code ipc-shm} ring in each, both sides <b>busy-waiting</b>: no system call at
 * all once both sides have mapped the files. The files are deleted as soon as both have them mapped (the pages stay
 * until both unmap).
 */
public final class MmapMechanism extends RingMechanism {
    @Override
    public String id() {
        return "mmap";
    }

    @Override
    public String description() {
        return "ipc-shm's ring in two shared file mappings, one each way; both sides SPIN";
    }

    @Override
    ShmRing.WaitStrategy strategy() {
        return ShmRing.WaitStrategy.SPIN;
    }

    @Override
    String newName(String role) throws IOException {
        Path directory = Files.createTempDirectory(BenchDirectories.prefix("mmap"));
        return directory.resolve(role).toString();
    }

    @Override
    MappedFile create(String name, long bytes) throws IOException {
        return MappedFile.create(Path.of(name), bytes, Growth.PREALLOCATE);
    }

    @Override
    MappedFile open(String name) throws IOException {
        return MappedFile.map(Path.of(name), MapMode.READ_WRITE);
    }

    @Override
    void remove(String name) throws IOException {
        Path file = Path.of(name);
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
    }
}
