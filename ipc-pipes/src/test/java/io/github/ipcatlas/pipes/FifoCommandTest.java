package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.pipes.cli.FifoCommand;

/** {@code fifo create|write|read} run as a real process, with the exit codes of the command contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FifoCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldCreateAFifoWithMode0600() throws IOException {
        Path fifo = dir.resolve("f");

        assertThat(fifoCommand("create", fifo.toString()).awaitExit(DEADLINE)).isZero();
        assertThat(Fifo.isFifo(fifo)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo))).isEqualTo("rw-------");
    }

    @Test
    void shouldFailWithExitCode1WhenThePathExists() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        try (ChildProcess command = fifoCommand("create", fifo.toString())) {
            assertThat(command.awaitExit(DEADLINE)).isEqualTo(1);
            assertThat(command.stderr()).contains("fifo create: mkfifo(" + fifo + ") failed: EEXIST");
        }
    }

    @Test
    void shouldWriteTextAndANewlineCreatingTheFifo() throws IOException {
        Path fifo = dir.resolve("f");
        try (ChildProcess command = fifoCommand("write", fifo.toString(), "hello fifo", "--timeout", "20000")) {
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> Fifo.isFifo(fifo));
            try (PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
                assertThat(new String(StreamReads.readToEnd(reader, DEADLINE), StandardCharsets.UTF_8))
                        .isEqualTo("hello fifo\n");
            }
            assertThat(command.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldPrintWhatItReadsUntilEndOfStream() throws IOException {
        Path fifo = Fifo.create(dir.resolve("f"));
        try (ChildProcess command = fifoCommand("read", fifo.toString(), "--timeout", "20000")) {
            try (PipeEnd writer = Fifo.openWriter(fifo, DEADLINE)) {
                writer.write(ByteBuffer.wrap("first\nsecond\n".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(command.remainingLines(DEADLINE)).containsExactly("first", "second");
            assertThat(command.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldExitWith1WhenNobodyComesBeforeTheTimeout() throws IOException {
        // two FIFOs: a reader and a writer of the same one would meet each other
        Path nobodyWrites = Fifo.create(dir.resolve("nobody-writes"));
        Path nobodyReads = Fifo.create(dir.resolve("nobody-reads"));
        try (ChildProcess read = fifoCommand("read", nobodyWrites.toString(), "--timeout", "200");
             ChildProcess write = fifoCommand("write", nobodyReads.toString(), "x", "--timeout", "200")) {
            assertThat(read.awaitExit(DEADLINE)).isEqualTo(1);
            assertThat(read.stderr()).contains("no writer came").contains("timed out after 200 ms");
            assertThat(write.awaitExit(DEADLINE)).isEqualTo(1);
            assertThat(write.stderr()).contains("no reader came");
        }
    }

    @Test
    void shouldExitWith1ForAMissingFifoAndWith2ForUsageErrors() throws IOException {
        try (ChildProcess missing = fifoCommand("read", dir.resolve("none").toString(), "--timeout", "100");
             ChildProcess noArgs = fifoCommand("write");
             ChildProcess badMode = fifoCommand("create", dir.resolve("m").toString(), "--mode", "999");
             ChildProcess badTimeout = fifoCommand("read", dir.resolve("t").toString(), "--timeout", "-5")) {
            assertThat(missing.awaitExit(DEADLINE)).isEqualTo(1);
            assertThat(missing.stderr()).contains("ENOENT");
            assertThat(noArgs.awaitExit(DEADLINE)).isEqualTo(2);
            assertThat(noArgs.stderr()).contains("Missing required parameter");
            assertThat(badMode.awaitExit(DEADLINE)).isEqualTo(2);
            assertThat(badMode.stderr()).contains("--mode 999 is not an octal mode");
            assertThat(badTimeout.awaitExit(DEADLINE)).isEqualTo(2);
            assertThat(badTimeout.stderr()).contains("--timeout -5 is negative");
        }
        assertThat(Files.exists(dir.resolve("m"))).isFalse();
    }

    private static ChildProcess fifoCommand(String... args) throws IOException {
        return ChildJvm.builder(FifoCommand.class).args(args).quickStart().start();
    }
}
