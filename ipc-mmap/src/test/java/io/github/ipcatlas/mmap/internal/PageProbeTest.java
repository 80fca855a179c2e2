package io.github.ipcatlas.mmap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.access.NativeAccess;

/** Both routes of the probe agree with the kernel on pages a truncation took away. */
class PageProbeTest {
    @TempDir
    Path dir;

    @Test
    void shouldFindTheLastPageGoneByBothRoutesOnceTheFileIsTruncated() throws IOException {
        Path file = dir.resolve("probe");
        try (MappedFile map = MappedFile.create(file, 2 * 4096, Growth.PREALLOCATE)) {
            long last = NativeAccess.acquire(map, 2 * 4096 - 1, 1);
            long first = NativeAccess.acquire(map, 0, 1);
            try {
                assertThat(PageProbe.readable(last)).isTrue();
                assertThat(PageProbe.writableToPipe(last)).as("the route where process_vm_readv is filtered").isTrue();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(100);
                }
                assertThat(PageProbe.readable(last)).isFalse();
                assertThat(PageProbe.writableToPipe(last)).isFalse();
                assertThat(PageProbe.readable(first)).as("the page still backed").isTrue();
                assertThat(PageProbe.writableToPipe(first)).isTrue();
            } finally {
                NativeAccess.release(map);
                NativeAccess.release(map);
            }
        }
    }
}
