package io.github.ipcatlas.mmap;

import java.nio.channels.FileChannel;

/** How a region of a file is mapped ({@code mmap(2)}'s protection and {@code MAP_SHARED}/{@code MAP_PRIVATE}). */
public enum MapMode {
    /** {@code PROT_READ, MAP_SHARED}: reads see every process's writes; a write is refused. */
    READ_ONLY(FileChannel.MapMode.READ_ONLY),
    /**
     * {@code PROT_READ|PROT_WRITE, MAP_SHARED}: writes go to the page cache, so every process mapping the file sees
     * them at once, and the kernel writes them to the file later (or at {@code force()}).
     */
    READ_WRITE(FileChannel.MapMode.READ_WRITE),
    /**
     * {@code MAP_PRIVATE}: copy-on-write. Writes land in private copies of the touched pages: invisible to other
     * processes and never written to the file.
     */
    PRIVATE(FileChannel.MapMode.PRIVATE);

    final FileChannel.MapMode jdkMode;

    MapMode(FileChannel.MapMode jdkMode) {
        this.jdkMode = jdkMode;
    }

    boolean writable() {
        return this != READ_ONLY;
    }
}
