package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.IpcTimeoutException;

class FifoTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldCreateAFifoWithMode0600ByDefault() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));

        assertThat(Fifo.isFifo(fifo)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo))).isEqualTo("rw-------");
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void shouldApplyTheUmaskToAGivenMode() throws IOException {
        int umask = Integer.parseInt(io.github.ipcatlas.core.ProcFs.read(Path.of("/proc/self/status")).lines()
                .filter(l -> l.startsWith("Umask:")).findFirst().orElseThrow().substring(6).strip(), 8);
        Path fifo = Fifo.create(dir.resolve("f"), 0666);

        int mode = (Integer) Files.getAttribute(fifo, "unix:mode") & 0777;
        assertThat(mode).isEqualTo(0666 & ~umask);
    }

    @Test
    void shouldRefuseAnExistingPathSayingWhatIsThere() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> Fifo.create(fifo)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage("mkfifo(" + fifo + ") failed: EEXIST (File exists); " + fifo + " exists and is a FIFO");
        assertThatThrownBy(() -> Fifo.create(file)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("exists and is a regular file");
    }

    @Test
    void shouldReportAMissingDirectory() {
        Path inMissingDir = dir.resolve("no-such-dir").resolve("f");

        assertThatThrownBy(() -> Fifo.create(inMissingDir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("mkfifo(" + inMissingDir + ") failed: ENOENT")
                .hasMessageContaining("the directory " + inMissingDir.getParent() + " does not exist");
        assertThatThrownBy(() -> Fifo.openReader(inMissingDir, DEADLINE)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldReportADirectoryWhereFifosMayNotBeCreated() {
        // sysfs refuses mknod even to root, so this holds whoever runs the test.
        assertThatThrownBy(() -> Fifo.create(Path.of("/sys/ipc-atlas-fifo")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("mkfifo(/sys/ipc-atlas-fifo) failed: EPERM");
    }

    @Test
    void shouldRefuseToOpenOrUnlinkWhatIsNotAFifo() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "precious");

        assertThatThrownBy(() -> Fifo.openReader(file, DEADLINE)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("cannot open for reading: " + file + " is a regular file, not a FIFO");
        assertThatThrownBy(() -> Fifo.openWriter(dir, DEADLINE)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("is a directory, not a FIFO");
        assertThatThrownBy(() -> Fifo.openReadWrite(file)).hasMessageContaining("not a FIFO");
        assertThatThrownBy(() -> Fifo.unlink(file)).hasMessageContaining("not a FIFO");
        assertThatThrownBy(() -> Fifo.createIfMissing(file, 0600)).hasMessageContaining("not a FIFO");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void shouldTimeOutOpeningForReadingWhenNoWriterComesAndLeaveNothingOpen() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));

        assertThatThrownBy(() -> Fifo.openReader(fifo, Duration.ofMillis(100)))
                .isInstanceOf(IpcTimeoutException.class)
                .hasMessage("open(" + fifo + ") for reading: no writer came, so timed out after 100 ms");
        assertThat(OpenDescriptors.referringTo(fifo)).as("descriptors left open on " + fifo).isEmpty();
    }

    @Test
    void shouldTimeOutOpeningForWritingWhenNoReaderComes() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));

        assertThatThrownBy(() -> Fifo.openWriter(fifo, Duration.ofMillis(100)))
                .isInstanceOf(IpcTimeoutException.class)
                .hasMessageContaining("for writing: no reader came");
        assertThatThrownBy(() -> Fifo.openWriter(fifo, Duration.ZERO)).isInstanceOf(IpcTimeoutException.class);
        assertThat(OpenDescriptors.referringTo(fifo)).as("descriptors left open on " + fifo).isEmpty();
    }

    @Test
    void shouldConnectAReaderAndAWriterThatArriveAtDifferentTimes() throws Exception {
        Path fifo = Fifo.create(dir.resolve("f"));
        CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
            try (PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
                return new String(reader.inputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        try (PipeEnd writer = Fifo.openWriter(fifo, DEADLINE)) {
            writer.write(ByteBuffer.wrap("across the FIFO".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("across the FIFO");
    }

    @Test
    void shouldSeeEndOfStreamWhenAWriterComesAndLeavesWithoutWriting() throws Exception {
        Path fifo = Fifo.create(dir.resolve("f"));
        CompletableFuture<Integer> firstRead = CompletableFuture.supplyAsync(() -> {
            try (PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
                return reader.read(ByteBuffer.allocate(8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Fifo.openWriter(fifo, DEADLINE).close();

        assertThat(firstRead.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void shouldKeepAReadWriteEndAliveAcrossWriters() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        try (PipeEnd server = Fifo.openReadWrite(fifo)) {
            for (String message : new String[] {"first", "second"}) {
                try (PipeEnd client = Fifo.openWriter(fifo, Duration.ZERO)) { // a reader exists: no wait
                    client.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
                }
                ByteBuffer in = ByteBuffer.allocate(64);
                assertThat(server.read(in, DEADLINE)).isEqualTo(message.length());
                assertThat(StandardCharsets.UTF_8.decode(in.flip()).toString()).isEqualTo(message);
            }
            // Every client left, yet no end of stream: the server is its own writer.
            assertThat(server.read(ByteBuffer.allocate(8), Duration.ofMillis(50))).isZero();
        }
    }

    @Test
    void shouldUnlinkTheNameWhileOpenEndsGoOnWorking() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        try (PipeEnd both = Fifo.openReadWrite(fifo)) {
            Fifo.unlink(fifo);

            assertThat(Files.exists(fifo)).isFalse();
            both.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer in = ByteBuffer.allocate(1);
            assertThat(both.read(in)).isEqualTo(1);
            assertThat(in.get(0)).isEqualTo((byte) 42);
        }
        assertThatThrownBy(() -> Fifo.unlink(fifo)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("unlink(" + fifo + ") failed: ENOENT");
    }

    @Test
    void shouldCreateIfMissingOnlyOnce() throws IOException {
        Path fifo = dir.resolve("f");

        assertThat(Fifo.createIfMissing(fifo, 0600)).isEqualTo(fifo);
        assertThat(Fifo.createIfMissing(fifo, 0600)).isEqualTo(fifo);
        assertThat(Fifo.isFifo(fifo)).isTrue();
        assertThat(Fifo.isFifo(dir.resolve("other"))).isFalse();
    }

    @Test
    void shouldRefuseBadArgumentsBeforeAnyNativeCall() {
        Path fifo = dir.resolve("f");

        assertThatThrownBy(() -> Fifo.create(fifo, 01000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FIFO mode 1000 (octal)");
        assertThatThrownBy(() -> Fifo.create(fifo, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fifo.create(Path.of(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Fifo.create(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("path");
        assertThatThrownBy(() -> Fifo.openReader(fifo, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout PT-1S is negative");
        assertThatThrownBy(() -> Fifo.openWriter(fifo, null)).isInstanceOf(NullPointerException.class);
        assertThat(Files.exists(fifo)).isFalse();
    }
}
