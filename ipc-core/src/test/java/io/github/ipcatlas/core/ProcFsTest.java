package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @Test
    void shouldReadAWholeProcValueWhoseFileReportsSizeZero() throws IOException {
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        // The value the kernel reports through a plain read, compared with what we parse.
        String viaShell;
        try (ChildProcess cat = ChildProcess.builder("cat", pidMax.toString()).start()) {
            viaShell = cat.nextLine(Duration.ofSeconds(10)).strip();
        }

        assertThat(Files.size(pidMax)).isZero();
        assertThat(ProcFs.read(pidMax)).isEqualTo(viaShell);
        assertThat(ProcFs.readLong(pidMax)).isEqualTo(Long.parseLong(viaShell)).isGreaterThan(9);
    }

    @Test
    void shouldNameTheFileWhenItHoldsNoNumber(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("value"), "many\n");

        assertThatThrownBy(() -> ProcFs.readLong(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"many\"");
    }
}
