package io.github.ipcatlas.shm;

import java.io.IOException;

import io.github.ipcatlas.mmap.MappedFile;

/** Reads one ring record in place: {@code length} payload bytes at {@code offset} of {@code memory}. */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Called once per record, in order. The bytes are valid only during the call: copy what must outlive it. A
     * record handed to this method counts as consumed, even if the method throws.
     */
    void onRecord(MappedFile memory, long offset, int length) throws IOException;
}
