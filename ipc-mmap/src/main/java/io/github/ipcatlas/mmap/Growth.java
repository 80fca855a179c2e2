package io.github.ipcatlas.mmap;

/** How {@link MappedFile#create} grows a file to the size it will map. */
public enum Growth {
    /**
     * Reserve the blocks now ({@code posix_fallocate(3)}): a full disk is an {@code ENOSPC} error at creation, not
     * a {@code SIGBUS} (a JVM {@code InternalError}) at some later write into a hole.
     */
    PREALLOCATE,
    /**
     * Only set the length ({@code ftruncate(2)}): a sparse file whose holes cost nothing until written — the way to
     * map far more than the disk holds, at the price of a possible {@code SIGBUS} if the disk fills.
     */
    SPARSE
}
