package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
        assertThat(run("write", file.toString(), "hello").exit).isZero();
        assertThat(run("write", file.toString(), "world", "--offset", "10").exit).isZero();

        assertThat(Files.size(file)).isEqualTo(15);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("read", file.toString(), "--offset", "10").out).containsExactly("world");
        assertThat(run("read", file.toString(), "--length", "5").out).containsExactly("hello");
    }

    @Test
    void shouldExitWith1ForAMissingFileAnd2ForBadOffsets() throws IOException {
        Path file = dir.resolve("f");
        Run missing = run("read", file.toString());
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("ENOENT");

        assertThat(run("write", file.toString(), "abc").exit).isZero();
        Run past = run("read", file.toString(), "--offset", "2", "--length", "5");
        assertThat(past.exit).isEqualTo(2);
        assertThat(past.err).contains("runs past the end");
        Run negative = run("write", file.toString(), "x", "--offset", "-1");
        assertThat(negative.exit).isEqualTo(2);
        assertThat(negative.err).contains("--offset -1 is negative");
        Run directory = run("read", dir.toString());
        assertThat(directory.exit).isEqualTo(1);
        assertThat(directory.err).contains("is a directory");
    }

    private static Run run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(MmapCommand.class).args(args).quickStart().start()) {
            List<String> out = child.remainingLines(DEADLINE);
            return new Run(child.awaitExit(DEADLINE), out, child.stderr());
        }
    }

    private record Run(int exit, List<String> out, String err) {
    }
}
