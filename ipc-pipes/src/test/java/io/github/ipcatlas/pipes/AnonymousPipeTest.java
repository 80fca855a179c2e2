package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.ErrnoException;

class AnonymousPipeTest {

    @Test
    void shouldCarryBytesFromTheWriteEndToTheReadEnd() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.wrap("Hello from the parent process".getBytes(StandardCharsets.UTF_8)));

            ByteBuffer in = ByteBuffer.allocate(1024);
            assertThat(pipe.readEnd().read(in)).isEqualTo(29);
            assertThat(StandardCharsets.UTF_8.decode(in.flip()).toString()).isEqualTo("Hello from the parent process");
        }
    }

    @Test
    void shouldReturnWhatIsBufferedNotWhatWasAskedFor() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.wrap(new byte[10]));

            assertThat(pipe.readEnd().read(ByteBuffer.allocate(1000))).isEqualTo(10);
            assertThat(pipe.readEnd().read(ByteBuffer.allocate(1000), Duration.ofMillis(10))).isZero();
        }
    }

    @Test
    void shouldSeeEndOfStreamOnlyOnceEveryWriterClosed() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1, 2}));
            pipe.writeEnd().close();

            ByteBuffer in = ByteBuffer.allocate(8);
            assertThat(pipe.readEnd().read(in)).isEqualTo(2);
            assertThat(pipe.readEnd().read(in)).isEqualTo(-1);
        }
    }

    @Test
    void shouldFailWithBrokenPipeOnceTheReadEndIsClosed() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.readEnd().close();

            assertThatThrownBy(() -> pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1})))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("write(pipe ").hasMessageContaining("write end) failed: EPIPE (Broken pipe)")
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(32));
        }
    }

    @Test
    void shouldCreateBothEndsCloseOnExec() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            assertThat(fdFlags(pipe.readEnd().fd()) & 02000000).isNotZero();
            assertThat(fdFlags(pipe.writeEnd().fd()) & 02000000).isNotZero();
        }
    }

    @Test
    void shouldHaveTheDefaultCapacityAndFillExactlyToIt() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            int capacity = pipe.writeEnd().capacity();
            assertThat(capacity).isEqualTo(65536);
            assertThat(pipe.readEnd().capacity()).isEqualTo(capacity);

            // With nobody reading, the kernel takes exactly `capacity` bytes; then a writer would block.
            int written = pipe.writeEnd().write(ByteBuffer.allocate(1 << 20), Duration.ofMillis(100));
            assertThat(written).isEqualTo(capacity);
        }
    }

    @Test
    void shouldResizeTheBufferToAPowerOfTwoNumberOfPages() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            assertThat(pipe.writeEnd().setCapacity(100_000)).isEqualTo(131072);
            assertThat(pipe.readEnd().capacity()).isEqualTo(131072);
            assertThat(pipe.writeEnd().setCapacity(1)).isEqualTo(4096);
        }
    }

    @Test
    void shouldExplainTheLimitWhenGrowingPastPipeMaxSize() throws IOException {
        int max = PipeEnd.maxCapacity();
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            if (hasCapability(24 /* CAP_SYS_RESOURCE */)) {
                assertThat(pipe.writeEnd().setCapacity(max * 2)).isGreaterThanOrEqualTo(max * 2);
            } else {
                assertThatThrownBy(() -> pipe.writeEnd().setCapacity(max * 2))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("F_SETPIPE_SZ, " + max * 2)
                        .hasMessageContaining("EPERM")
                        .hasMessageContaining("/proc/sys/fs/pipe-max-size = " + max);
            }
        }
    }

    @Test
    void shouldRefuseToShrinkBelowWhatIsBuffered() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.allocate(40_000));

            assertThatThrownBy(() -> pipe.writeEnd().setCapacity(4096))
                    .isInstanceOf(ErrnoException.class).hasMessageContaining("EBUSY")
                    .hasMessageContaining("drain the pipe first");
            assertThat(pipe.writeEnd().capacity()).isEqualTo(65536);
        }
    }

    @Test
    void shouldRefuseANonPositiveCapacityBeforeAnyNativeCall() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            assertThatThrownBy(() -> pipe.writeEnd().setCapacity(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pipe capacity 0");
            assertThatThrownBy(() -> pipe.writeEnd().setCapacity(-5)).hasMessageContaining("-5");
        }
    }

    @Test
    void shouldNeverInterleaveConcurrentWritesOfAtMostPipeBuf() throws Exception {
        int writers = 4;
        int recordsEach = 300;
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                byte id = (byte) (w + 1);
                running.add(CompletableFuture.runAsync(() -> {
                    byte[] record = new byte[PipeEnd.PIPE_BUF];
                    java.util.Arrays.fill(record, id);
                    try {
                        for (int i = 0; i < recordsEach; i++) {
                            pipe.writeEnd().write(ByteBuffer.wrap(record));
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            InputStream in = pipe.readEnd().inputStream();
            int[] counts = new int[writers + 1];
            for (int r = 0; r < writers * recordsEach; r++) {
                byte[] record = in.readNBytes(PipeEnd.PIPE_BUF);
                assertThat(record).hasSize(PipeEnd.PIPE_BUF);
                byte first = record[0];
                for (byte b : record) {
                    if (b != first) {
                        throw new AssertionError("record " + r + " mixes writers " + first + " and " + b);
                    }
                }
                counts[first]++;
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int w = 1; w <= writers; w++) {
                assertThat(counts[w]).isEqualTo(recordsEach);
            }
        }
    }

    @Test
    void shouldCloseIdempotentlyAndRefuseUseAfterwards() throws IOException {
        AnonymousPipe pipe = AnonymousPipe.open();
        Object pipeKey = OpenDescriptors.fileKey(Path.of("/proc/self/fd/" + pipe.readEnd().fd()));
        pipe.close();
        pipe.close();

        assertThat(OpenDescriptors.referringTo(pipeKey)).as("descriptors left open on " + pipe).isEmpty();
        assertThatThrownBy(() -> pipe.writeEnd().write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> pipe.readEnd().capacity()).isInstanceOf(ClosedChannelException.class);
    }

    static int fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        throw new IllegalStateException("no flags in fdinfo of " + fd);
    }

    static boolean hasCapability(int bit) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << bit)) != 0;
            }
        }
        return false;
    }
}
