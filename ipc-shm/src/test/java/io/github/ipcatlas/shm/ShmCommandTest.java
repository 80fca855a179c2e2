package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

    private static ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(ShmCommand.class).args(args).quickStart().start()) {
            return child.finish(Duration.ofSeconds(30));
        }
    }

}
