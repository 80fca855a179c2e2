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
        assertThat(run("write", name, "first version").exit).isZero();
        assertThat(run("write", name, "second").exit).isZero();

        var file = SharedMemory.DEV_SHM.resolve(name.substring(1));
        assertThat(Files.size(file)).as("exactly the text's bytes").isEqualTo(6);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("read", name).out).containsExactly("second");
        assertThat(run("unlink", name).exit).isZero();
        Run missing = run("read", name);
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("shm_open(" + name + ") failed: ENOENT");
    }

    @Test
    void shouldExitWith2ForUsageErrors() throws IOException {
        Run empty = run("write", name, "");
        assertThat(empty.exit).isEqualTo(2);
        assertThat(empty.err).contains("TEXT is empty");
        Run badName = run("read", "no-slash");
        assertThat(badName.exit).isEqualTo(2);
        assertThat(badName.err).contains("must start with '/'");
        assertThat(run("unlink").exit).isEqualTo(2);
    }

    private static Run run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(ShmCommand.class).args(args).quickStart().start()) {
            List<String> out = child.remainingLines(Duration.ofSeconds(30));
            return new Run(child.awaitExit(Duration.ofSeconds(30)), out, child.stderr());
        }
    }

    private record Run(int exit, List<String> out, String err) {
    }
}
