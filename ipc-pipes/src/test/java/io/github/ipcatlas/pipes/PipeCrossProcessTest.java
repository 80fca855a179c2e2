package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.pipes.peers.ReaderPeer;
import io.github.ipcatlas.pipes.peers.WriterPeer;

/** Pipes between this JVM and a child JVM that inherited one end at descriptor 3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void shouldDeliverEveryByteToAChildReadingItsInheritedDescriptor() throws IOException {
        byte[] data = PipeTestData.pattern(3 * 1024 * 1024 + 17);
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(ReaderPeer.class).args("fd", "3")
                     .inheritFd(pipe.readEnd(), 3).quickStart().start()) {
            pipe.readEnd().close();
            child.awaitLine("ready", DEADLINE);

            pipe.writeEnd().write(ByteBuffer.wrap(data));
            pipe.writeEnd().close();

            assertThat(child.nextLine(DEADLINE)).isEqualTo(PipeTestData.summary(data));
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldReadEverythingAChildWritesThenEndOfStream() throws IOException {
        int size = 2 * 1024 * 1024;
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(WriterPeer.class).args("fd", "3", String.valueOf(size))
                     .inheritFd(pipe.writeEnd(), 3).quickStart().start()) {
            pipe.writeEnd().close(); // or we would be a writer too, and never see end of stream

            byte[] received = StreamReads.readToEnd(pipe.readEnd(), DEADLINE);

            assertThat(received).isEqualTo(PipeTestData.pattern(size));
            assertThat(child.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldFailWithBrokenPipeSoonAfterTheReadingChildIsKilled() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(ReaderPeer.class).args("fd", "3")
                     .inheritFd(pipe.readEnd(), 3).quickStart().start()) {
            pipe.readEnd().close();
            child.awaitLine("ready", DEADLINE);
            ByteBuffer block = ByteBuffer.allocateDirect(64 * 1024);
            for (int i = 0; i < 16; i++) { // mid-stream: the child is reading
                pipe.writeEnd().write(block.clear());
            }

            child.kill(9);
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(128 + 9);

            assertThatThrownBy(() -> {
                while (true) {
                    pipe.writeEnd().write(block.clear());
                }
            }).isInstanceOf(ErrnoException.class).hasMessageContaining("EPIPE");
        }
    }

    @Test
    void shouldSeeEndOfStreamSoonAfterTheWritingChildIsKilled() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(WriterPeer.class).args("fd", "3", "-1")
                     .inheritFd(pipe.writeEnd(), 3).quickStart().start()) {
            pipe.writeEnd().close();
            child.awaitLine("ready", DEADLINE);
            ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            assertThat(pipe.readEnd().read(in.clear(), DEADLINE)).isPositive(); // mid-stream

            child.kill(9);

            long drained = 0;
            int n;
            while ((n = pipe.readEnd().read(in.clear(), DEADLINE)) > 0) {
                drained += n;
            }
            assertThat(n).as("end of stream, not a timeout, after %d more bytes", drained).isEqualTo(-1);
            assertThat(child.awaitExit(DEADLINE)).isEqualTo(128 + 9);
        }
    }
}
