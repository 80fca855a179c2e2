package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.peers.MmapPeers;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FileRegionLockTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldKeepAnotherJvmOutOfAnExclusiveLockUntilItIsReleased() throws IOException {
        Path file = Files.write(dir.resolve("locked"), new byte[64]);
        FileRegionLock mine = FileRegionLock.lock(file, false, DEADLINE);
        try (ChildProcess refused = peer("lock", file.toString(), "exclusive", "200")) {
            assertThat(refused.nextLine(DEADLINE)).isEqualTo("timeout");
        }
        try (ChildProcess waiting = peer("lock", file.toString(), "shared", "30000")) {
            mine.close();
            assertThat(waiting.nextLine(DEADLINE)).isEqualTo("locked");
        }
    }

    @Test
    void shouldLetSharedLocksOfTwoJvmsCoexistAndKeepAWriterOut() throws IOException {
        Path file = Files.write(dir.resolve("shared"), new byte[64]);
        try (FileRegionLock mine = FileRegionLock.lock(file, true, DEADLINE);
             ChildProcess reader = peer("lock", file.toString(), "shared", "30000")) {
            assertThat(mine.isShared()).isTrue();
            assertThat(reader.nextLine(DEADLINE)).isEqualTo("locked");
            try (ChildProcess writer = peer("lock", file.toString(), "exclusive", "200")) {
                assertThat(writer.nextLine(DEADLINE)).isEqualTo("timeout");
            }
        }
    }

    @Test
    void shouldMakeThreadsOfOneJvmWaitInsteadOfThrowingOverlappingFileLockException() throws Exception {
        Path file = Files.write(dir.resolve("threads"), new byte[64]);
        FileRegionLock first = FileRegionLock.lock(file, 0, 32, false, DEADLINE);
        CompletableFuture<FileRegionLock> second = CompletableFuture.supplyAsync(() -> {
            try {
                return FileRegionLock.lock(file, 16, 32, false, DEADLINE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> FileRegionLock.lock(file, 8, 8, true, Duration.ofMillis(50)))
                .isInstanceOf(IpcTimeoutException.class).hasMessageContaining("another thread of this JVM");
        try (FileRegionLock separate = FileRegionLock.lock(file, 48, 16, false, Duration.ZERO)) {
            assertThat(separate).hasToString("FileRegionLock[exclusive lock on " + file + " bytes [48, 64)]");
        }
        await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());

        first.close();
        second.get(30, TimeUnit.SECONDS).close();
        first.close(); // idempotent
    }

    @Test
    void shouldRefuseBadArguments() throws IOException {
        Path file = Files.write(dir.resolve("args"), new byte[8]);
        assertThatThrownBy(() -> FileRegionLock.lock(file, -1, 4, true, DEADLINE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position -1");
        assertThatThrownBy(() -> FileRegionLock.lock(file, 0, 0, true, DEADLINE)).hasMessageContaining("size 0");
        assertThatThrownBy(() -> FileRegionLock.lock(file, false, Duration.ofSeconds(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> FileRegionLock.lock(dir.resolve("missing"), false, DEADLINE))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    private static ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(MmapPeers.class).args(args).quickStart().start();
    }
}
