package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.mmap.peers.MmapPeers;

/** What one process writes into a shared mapping, another sees in its own; a private mapping keeps its writes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MmapCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldSeeAnotherProcesssWriteInOurOwnMappingWithoutReadingTheFile() throws IOException {
        Path file = dir.resolve("shared");
        try (MappedFile map = MappedFile.create(file, 4096, Growth.PREALLOCATE);
             MappedFile privateView = MappedFile.map(file, MapMode.PRIVATE)) {
            privateView.putByte(4000, (byte) 1); // copies page 0 for the private view only
            try (ChildProcess writer = ChildJvm.builder(MmapPeers.class)
                    .args("write-bytes", file.toString(), "100", "from the other process").quickStart().start()) {
                assertThat(writer.awaitExit(DEADLINE)).isZero();
            }
            ByteBuffer text = ByteBuffer.allocate(22);
            map.get(100, text);
            assertThat(new String(text.array(), StandardCharsets.UTF_8)).isEqualTo("from the other process");
            assertThat(privateView.getByte(100)).as("the private copy does not see it").isZero();
        }
    }

    @Test
    void shouldMakeASharedWriteTheFilesContentAtOnce() throws IOException {
        Path file = Files.write(dir.resolve("data"), new byte[4096]);
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            map.putByte(0, (byte) 5);
            // another process reads the file with read(2), before any msync: the page cache is the file's content
            try (ChildProcess od = ChildProcess.builder("od", "-An", "-tu1", "-N1", file.toString()).start()) {
                assertThat(od.finish(Duration.ofSeconds(30)).stdout().stream().map(String::strip))
                        .as("a shared write is the file's content at once").containsExactly("5");
            }
        }
    }
}
