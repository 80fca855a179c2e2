package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FdChannelTest {
    private FdChannel reader;
    private FdChannel writer;

    @BeforeEach
    void openPipe() throws IOException {
        FdChannel[] pipe = TestPipes.open();
        reader = pipe[0];
        writer = pipe[1];
    }

    @AfterEach
    void closePipe() throws IOException {
        reader.close();
        writer.close();
    }

    @Test
    void shouldKeepALeasedNumberOnItsFileUntilTheLeaseEndsThoughTheChannelIsClosed() throws IOException {
        FdChannel[] pipe = TestPipes.open();
        try {
            DescriptorLease lease = pipe[1].lease();
            int fd = lease.fd();
            Object pipeFile = fileKey(fd);
            pipe[1].close(); // another thread's close, say
            assertThat(pipe[1].isOpen()).isFalse();
            assertThatThrownBy(pipe[1]::lease).isInstanceOf(ClosedChannelException.class);
            assertThat(fileOf(fd)).as("still the pipe while leased, not free for the next open").isEqualTo(pipeFile);

            lease.close();
            lease.close(); // idempotent
            assertThat(fileOf(fd)).as("closed by the lease's end").isNotEqualTo(pipeFile);
            assertThatThrownBy(lease::fd).isInstanceOf(IllegalStateException.class).hasMessageContaining("fd " + fd);
        } finally {
            pipe[0].close();
            pipe[1].close();
        }
    }

    @Test
    void shouldReportClosedOnlyOnceTheLastCallInFlightHasReturned() throws IOException {
        FdChannel[] pipe = TestPipes.open();
        try {
            DescriptorLease inFlight = pipe[1].lease(); // a call still using the descriptor
            int fd = inFlight.fd();
            Object pipeFile = fileKey(fd);
            pipe[1].close();
            assertThat(pipe[1].awaitClosed(Duration.ofMillis(50))).as("a call is still in flight").isFalse();
            assertThat(fileOf(fd)).as("still the pipe").isEqualTo(pipeFile);
            inFlight.close();
            assertThat(pipe[1].awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(fileOf(fd)).as("closed").isNotEqualTo(pipeFile);
        } finally {
            pipe[0].close();
        }
    }

    @Test
    void shouldMoveBytesThroughDirectBuffersHonouringPositionAndLimit() throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(32);
        out.put("xxHELLOyy".getBytes(StandardCharsets.US_ASCII)).flip();
        out.position(2).limit(7);
        assertThat(writer.write(out)).isEqualTo(5);
        assertThat(out.position()).isEqualTo(7);

        ByteBuffer in = ByteBuffer.allocateDirect(32);
        in.position(3);
        assertThat(reader.read(in)).isEqualTo(5);
        assertThat(in.position()).isEqualTo(8);
        assertThat(ascii(in.flip().position(3))).isEqualTo("HELLO");
    }

    @Test
    void shouldMoveBytesThroughHeapBuffersAndSlices() throws IOException {
        ByteBuffer out = ByteBuffer.wrap("..payload..".getBytes(StandardCharsets.US_ASCII), 2, 7).slice();
        assertThat(writer.write(out)).isEqualTo(7);

        ByteBuffer in = ByteBuffer.allocate(16).position(4);
        assertThat(reader.read(in)).isEqualTo(7);
        assertThat(ascii(in.flip().position(4))).isEqualTo("payload");
    }

    @Test
    void shouldWriteMoreThanThePipeHoldsWhileAReaderDrains() throws Exception {
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.inputStream().readNBytes(data.length);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        assertThat(writer.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void shouldReturnZeroWhenATimedReadFindsNothing() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8);

        assertThat(reader.read(in, Duration.ofMillis(20))).isZero();
        assertThat(reader.read(in, Duration.ZERO)).isZero();
        assertThat(reader.awaitReadable(Duration.ZERO)).isFalse();
    }

    @Test
    void shouldReturnWhatATimedReadFinds() throws IOException {
        writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteBuffer in = ByteBuffer.allocate(8);

        assertThat(reader.awaitReadable(Duration.ofSeconds(5))).isTrue();
        assertThat(reader.read(in, Duration.ofSeconds(5))).isEqualTo(3);
    }

    @Test
    void shouldReportEndOfStreamWhenEveryWriterClosed() throws IOException {
        writer.write(ByteBuffer.wrap(new byte[] {9}));
        writer.close();
        ByteBuffer in = ByteBuffer.allocate(8);

        assertThat(reader.read(in)).isEqualTo(1);
        assertThat(reader.read(in)).isEqualTo(-1);
        assertThat(reader.read(in, Duration.ofSeconds(5))).isEqualTo(-1);
    }

    @Test
    void shouldFailWithBrokenPipeWhenTheReaderIsGone() throws IOException {
        reader.close();

        assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(new byte[] {1})))
                .isInstanceOf(ErrnoException.class)
                .hasMessageStartingWith("write(test pipe write end) failed: EPIPE (Broken pipe)")
                .hasMessageContaining("no process has the reading end open");
    }

    @Test
    void shouldStopATimedWriteAtTheDeadlineWhenThePipeIsFull() throws IOException {
        ByteBuffer big = ByteBuffer.allocate(1 << 20);

        int written = writer.write(big, Duration.ofMillis(50));

        assertThat(written).isPositive().isLessThan(1 << 20);
        assertThat(big.position()).isEqualTo(written);
        assertThat(writer.write(ByteBuffer.allocate(1), Duration.ZERO)).isZero();
    }

    @Test
    void shouldCloseIdempotentlyAndRefuseUseAfterClose() throws IOException {
        reader.close();
        reader.close();

        assertThat(reader.isOpen()).isFalse();
        assertThatThrownBy(() -> reader.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(reader::fd).isInstanceOf(ClosedChannelException.class);
        assertThat(reader.toString()).contains("closed");
    }

    @Test
    void shouldReleaseTheDescriptorOnlyAfterABlockedReaderReturns() throws Exception {
        int fd = reader.fd();
        Object pipeFile = fileKey(fd);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread blockedReader = new Thread(() -> {
            try {
                result.complete(reader.read(ByteBuffer.allocate(4)));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "blocked-reader");
        blockedReader.start();
        // Once the reader is inside readOnce it has registered itself as in flight.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                java.util.Arrays.stream(blockedReader.getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("readOnce")));

        reader.close();
        assertThat(fileOf(fd)).as("descriptor kept while a read is running").isEqualTo(pipeFile);
        writer.write(ByteBuffer.wrap(new byte[] {7}));

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(fileOf(fd)).as("descriptor released afterwards").isNotEqualTo(pipeFile);
    }

    @Test
    void shouldToggleNonBlockingMode() throws IOException {
        assertThat(reader.isNonBlocking()).isFalse();
        reader.setNonBlocking(true);
        assertThat(reader.isNonBlocking()).isTrue();
        assertThat(reader.read(ByteBuffer.allocate(1), Duration.ZERO)).isZero();
        reader.setNonBlocking(false);
        assertThat(reader.isNonBlocking()).isFalse();
    }

    @Test
    void shouldRefuseBadArguments() {
        assertThatThrownBy(() -> new FdChannel(-1, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new FdChannel(987_654, "not open"))
                .isInstanceOf(ErrnoException.class).hasMessageContaining("EBADF").hasMessageContaining("not open");
        assertThatThrownBy(() -> reader.read(ByteBuffer.allocate(1), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
    }

    /**
     * The identity (device and inode) of the file descriptor {@code fd} refers to now, {@code null} if it is not open.
     * A number the test gave up may already be another thread's descriptor; the identity tells the two apart. Both
     * ends of a pipe share it, so it is compared for one number, never searched for.
     */
    private static Object fileOf(int fd) throws IOException {
        try {
            return fileKey(fd);
        } catch (NoSuchFileException closed) {
            return null;
        }
    }

    /** The identity of the file the open descriptor {@code fd} refers to; NoSuchFileException if it is not open. */
    private static Object fileKey(int fd) throws IOException {
        return Objects.requireNonNull(Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class)
                .fileKey(), "file key");
    }

    private static String ascii(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
