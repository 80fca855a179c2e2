package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import io.github.ipcatlas.mmap.cli.MmapCommand;

/** {@code mmap write|read} as a real process, with the exit codes of the command contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MmapCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldWriteAtOffsetsGrowingTheFileAndReadBack() throws IOException {
        Path file = dir.resolve("f");
        assertThat(run("write", file.toString(), "hello").exitCode()).isZero();
        assertThat(run("write", file.toString(), "world", "--offset", "10").exitCode()).isZero();

        assertThat(Files.size(file)).isEqualTo(15);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("read", file.toString(), "--offset", "10").stdout()).containsExactly("world");
        assertThat(run("read", file.toString(), "--length", "5").stdout()).containsExactly("hello");
    }

    @Test
    void shouldExitWith1ForAMissingFileAnd2ForBadOffsets() throws IOException {
        Path file = dir.resolve("f");
        ChildProcess.Outcome missing = run("read", file.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("ENOENT");

        assertThat(run("write", file.toString(), "abc").exitCode()).isZero();
        ChildProcess.Outcome past = run("read", file.toString(), "--offset", "2", "--length", "5");
        assertThat(past.exitCode()).isEqualTo(2);
        assertThat(past.stderr()).contains("runs past the end");
        ChildProcess.Outcome negative = run("write", file.toString(), "x", "--offset", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.stderr()).contains("--offset -1 is negative");
        ChildProcess.Outcome directory = run("read", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(1);
        assertThat(directory.stderr()).contains("is a directory");
    }

    private static ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(MmapCommand.class).args(args).quickStart().start()) {
            return child.finish(DEADLINE);
        }
    }

}
