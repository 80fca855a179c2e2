package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak checks' own check: they see every descriptor of the object they ask about, and only those. */
class OpenDescriptorsTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindEveryDescriptorOpenOnAFifoAndNoneOnceClosed() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        Path other = Fifo.create(dir.resolve("other"));
        assertThat(OpenDescriptors.referringTo(fifo)).isEmpty();

        try (PipeEnd both = Fifo.openReadWrite(fifo);
             PipeEnd writer = Fifo.openWriter(fifo, Duration.ZERO);
             PipeEnd unrelated = Fifo.openReadWrite(other)) {
            assertThat(OpenDescriptors.referringTo(fifo)).containsOnlyKeys(both.fd(), writer.fd())
                    .containsValue(fifo.toString());
            assertThat(OpenDescriptors.referringTo(other)).containsOnlyKeys(unrelated.fd());
        }
        assertThat(OpenDescriptors.referringTo(fifo)).isEmpty();
        assertThat(OpenDescriptors.referringTo(other)).isEmpty();
    }

    @Test
    void shouldFindByIdentityAnUnlinkedFifoAndAnAnonymousPipe() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        Object fifoKey = OpenDescriptors.fileKey(fifo);
        try (PipeEnd both = Fifo.openReadWrite(fifo)) {
            Fifo.unlink(fifo);
            assertThat(Files.exists(fifo)).isFalse();
            assertThat(OpenDescriptors.referringTo(fifoKey)).containsOnlyKeys(both.fd());
        }
        assertThat(OpenDescriptors.referringTo(fifoKey)).isEmpty();

        Object pipeKey;
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipeKey = OpenDescriptors.fileKey(Path.of("/proc/self/fd/" + pipe.readEnd().fd()));
            assertThat(OpenDescriptors.referringTo(pipeKey)).containsOnlyKeys(pipe.readEnd().fd(), pipe.writeEnd().fd());
        }
        assertThat(OpenDescriptors.referringTo(pipeKey)).isEmpty();
    }
}
