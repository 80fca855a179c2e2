package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.cli.ShmCommand;

/** {@code shm write|read|unlink} as a real process, with the exit codes of the command contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShmCommandTest {
    private final String name = IpcNames.unique("t-shm-cli");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldWriteExactlyTheTextReplaceItReadItAndUnlink() throws IOException {
        assertThat(run("write", name, "first version").exitCode()).isZero();
        assertThat(run("write", name, "second").exitCode()).isZero();

        var file = SharedMemory.DEV_SHM.resolve(name.substring(1));
        assertThat(Files.size(file)).as("exactly the text's bytes").isEqualTo(6);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("read", name).stdout()).containsExactly("second");
        assertThat(run("unlink", name).exitCode()).isZero();
        ChildProcess.Outcome missing = run("read", name);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("shm_open(" + name + ") failed: ENOENT");
    }

    @Test
    void shouldExitWith2ForUsageErrors() throws IOException {
        ChildProcess.Outcome empty = run("write", name, "");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.stderr()).contains("TEXT is empty");
        ChildProcess.Outcome badName = run("read", "no-slash");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.stderr()).contains("must start with '/'");
        assertThat(run("unlink").exitCode()).isEqualTo(2);
    }

    @Test
    void shouldStreamASegmentLargerThanAnyJavaArray() throws IOException {
        long size = (1L << 31) + 4096;
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getFileStore(SharedMemory.DEV_SHM).getUsableSpace() > 2 * size,
                "/dev/shm has room for a 2 GiB segment");
        var file = SharedMemory.DEV_SHM.resolve(name.substring(1));
        try (ChildProcess python = ChildProcess.builder("python3", "-c", String.join("\n",
                "import os, sys",
                "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)",
                "os.ftruncate(fd, int(sys.argv[2])); os.pwrite(fd, b'Z', int(sys.argv[2]) - 1)"),
                file.toString(), String.valueOf(size)).start()) {
            assertThat(python.awaitExit(Duration.ofSeconds(30))).as(python.stderr()).isZero();
        }
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "\"$@\" | python3 -c \"" + COUNT + "\"",
                "sh"));
        command.addAll(ChildJvm.builder(ShmCommand.class).args("read", name).quickStart().command());
        try (ChildProcess pipeline = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome outcome = pipeline.finish(Duration.ofSeconds(50));
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).as("every byte and the newline, the segment's last byte last")
                    .containsExactly((size + 1) + " 5a0a");
        }
    }

    /** Counts the bytes on standard input and prints the count and the last two in hex. */
    private static final String COUNT = "import sys\nn, last = 0, b''\nwhile True:\n    b = sys.stdin.buffer.read(1 << 20)\n"
            + "    if not b: break\n    n += len(b); last = (last + b)[-2:]\nprint(n, last.hex())";

    private static ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(ShmCommand.class).args(args).quickStart().start()) {
            return child.finish(Duration.ofSeconds(30));
        }
    }

}
