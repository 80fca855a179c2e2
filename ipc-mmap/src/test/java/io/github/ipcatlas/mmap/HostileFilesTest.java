package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;

/** Files another process planted or swapped where we create or map one: nothing outside the path is touched. */
class HostileFilesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASymbolicLinkPlantedWhereCreateMakesItsFile() throws IOException {
        Path precious = Files.writeString(dir.resolve("precious.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("data.map"), precious);

        assertThatThrownBy(() -> MappedFile.create(link, 1 << 20, Growth.PREALLOCATE))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> MappedFile.create(link, 1 << 20, Growth.SPARSE))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("symbolic link");

        assertThat(Files.readString(precious)).as("neither overwritten nor grown").isEqualTo("precious");
        // never opened through the link either: a dangling one, one to a directory, one to a device say "link"
        for (Path target : new Path[] {dir.resolve("nothing-here"), dir, Path.of("/dev/null")}) {
            Path other = Files.createSymbolicLink(dir.resolve("link-" + target.getFileName()), target);
            assertThatThrownBy(() -> MappedFile.create(other, 4096, Growth.SPARSE)).as("link to %s", target)
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("symbolic link");
        }
        assertThat(Files.exists(dir.resolve("nothing-here"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void shouldNeverWriteIntoAFileAnotherUserPlantedWhereCreateMakesItsFile() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "only root can make a file another user's");
        Path planted = Files.write(dir.resolve("planted.map"), new byte[100]);
        Files.setAttribute(planted, "unix:uid", 65534); // nobody's, as if nobody had planted it
        Files.setPosixFilePermissions(planted, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> MappedFile.create(planted, 4096, Growth.PREALLOCATE))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("belongs to uid 65534");
        assertThat(Files.size(planted)).as("not grown").isEqualTo(100);
    }

    @Test
    void shouldLeaveNoFileBehindWhenCreateFails() {
        Path file = dir.resolve("too-big.map");
        assertThatThrownBy(() -> MappedFile.create(file, Long.MAX_VALUE, Growth.SPARSE)).isInstanceOf(IOException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldRefuseAFifoPlantedWhereAFileIsMappedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("planted");
        try (ChildProcess mkfifo = ChildProcess.builder("mkfifo", fifo.toString()).start()) {
            assertThat(mkfifo.awaitExit(DEADLINE)).isZero();
        }

        // open(2) of a FIFO blocks until a writer comes: these must fail at once instead
        for (MapMode mode : MapMode.values()) {
            assertThat(CompletableFuture.supplyAsync(() -> refusal(() -> MappedFile.map(fifo, mode)))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).contains("not a regular file");
        }
        assertThat(CompletableFuture.supplyAsync(() -> refusal(() -> MappedFile.create(fifo, 4096, Growth.SPARSE)))
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).contains("not a regular file");
    }

    @Test
    void shouldMapTheFileTheDescriptorRefersToWhateverThePathNamesNow() throws IOException {
        Path file = Files.writeString(dir.resolve("segment"), "the file that was opened");
        int fd = Native.libc().open(file.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try {
            Path impostor = Files.writeString(dir.resolve("impostor"), "a file swapped in after the open");
            Files.move(impostor, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            try (MappedFile mapped = MappedFile.map(fd, file, MapMode.READ_ONLY)) {
                byte[] bytes = new byte[(int) mapped.length()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = mapped.getByte(i);
                }
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("the file that was opened");
                assertThat(mapped.file()).isEqualTo(file);
            }
        } finally {
            Native.libc().close(fd);
        }
        assertThatThrownBy(() -> MappedFile.map(-1, file, MapMode.READ_ONLY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("descriptor -1");
        int readOnly = Native.libc().open(file.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        try {
            assertThatThrownBy(() -> MappedFile.map(readOnly, file, MapMode.READ_WRITE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not open read-write");
        } finally {
            Native.libc().close(readOnly);
        }
    }

    @FunctionalInterface
    private interface Opening {
        MappedFile open() throws IOException;
    }

    /** The message of the exception {@code opening} throws; fails if it maps something. */
    private static String refusal(Opening opening) {
        try (MappedFile mapped = opening.open()) {
            throw new AssertionError("mapped " + mapped);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
