package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.pipes.peers.ReaderPeer;
import io.github.ipcatlas.pipes.peers.WriterPeer;

/** Two unrelated JVMs that meet at a FIFO path. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FifoCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldCarryDataFromThisJvmToAnotherOneThatKnowsOnlyThePath() throws IOException {
        Path fifo = Fifo.create(dir.resolve("to-child"));
        byte[] data = PipeTestData.pattern(1024 * 1024 + 3);
        try (ChildProcess reader = ChildJvm.builder(ReaderPeer.class).args("fifo", fifo.toString())
                .quickStart().start()) {
            try (PipeEnd writer = Fifo.openWriter(fifo, DEADLINE)) {
                writer.write(ByteBuffer.wrap(data));
            }

            reader.awaitLine("ready", DEADLINE);
            assertThat(reader.nextLine(DEADLINE)).isEqualTo(PipeTestData.summary(data));
            assertThat(reader.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldCarryDataFromAnotherJvmToThisOne() throws IOException {
        Path fifo = Fifo.create(dir.resolve("from-child"));
        int size = 1024 * 1024;
        try (ChildProcess writer = ChildJvm.builder(WriterPeer.class).args("fifo", fifo.toString(),
                String.valueOf(size)).quickStart().start();
             PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
            assertThat(StreamReads.readToEnd(reader, DEADLINE)).isEqualTo(PipeTestData.pattern(size));
            assertThat(writer.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldSeeEndOfStreamSoonAfterTheWriterIsKilledMidStream() throws IOException {
        Path fifo = Fifo.create(dir.resolve("killed-writer"));
        try (ChildProcess writer = ChildJvm.builder(WriterPeer.class).args("fifo", fifo.toString(), "-1")
                .quickStart().start();
             PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
            ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            assertThat(reader.read(in.clear(), DEADLINE)).isPositive();

            writer.kill(9);

            int n;
            while ((n = reader.read(in.clear(), DEADLINE)) > 0) {
                // drain what the writer left in the buffer
            }
            assertThat(n).as("end of stream, not a timeout").isEqualTo(-1);
            assertThat(writer.awaitExit(DEADLINE)).isEqualTo(128 + 9);
        }
    }
}
