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

@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileRegionLockTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** A process that is not ours asks for a POSIX record lock (lockf), which conflicts with our OFD lock. */
    private static final String PYTHON_PROBE = String.join("\n",
            "import fcntl, os, sys",
            "fd = os.open(sys.argv[1], os.O_RDWR)",
            "try:",
            "    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            "    print('free')",
            "except OSError:",
            "    print('held')");

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
    void shouldHoldTheLockWhileTheFileIsMappedAndOtherDescriptorsOfItAreClosed() throws IOException {
        Path file = Files.write(dir.resolve("mapped"), new byte[4096]);
        assertThat(probe(file)).as("free before").isEqualTo("free");
        try (FileRegionLock lock = FileRegionLock.lock(file, false, DEADLINE)) {
            assertThat(probe(file)).isEqualTo("held");
            try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) { // opens and closes a descriptor of the file
                map.putLong(0, 1);
                assertThat(probe(file)).as("after mapping the file").isEqualTo("held");
            }
            Files.readAllBytes(file); // another descriptor of the file, opened and closed
            try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(file)) {
                assertThat(other.size()).isEqualTo(4096);
            }
            assertThat(probe(file)).as("after closing other descriptors of the file").isEqualTo("held");
            assertThat(lock.isHeld()).isTrue();
        }
        assertThat(probe(file)).as("released by close").isEqualTo("free");
    }

    @Test
    void shouldLetSharedLocksOfOneJvmCoexist() throws IOException {
        Path file = Files.write(dir.resolve("readers"), new byte[64]);
        try (FileRegionLock first = FileRegionLock.lock(file, true, DEADLINE);
             FileRegionLock second = FileRegionLock.lock(file, 0, 32, true, Duration.ZERO)) {
            assertThat(first.isShared() && second.isShared()).isTrue();
            assertThatThrownBy(() -> FileRegionLock.lock(file, 8, 8, false, Duration.ofMillis(20)))
                    .isInstanceOf(IpcTimeoutException.class).hasMessageContaining("another lock holds it");
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
                .isInstanceOf(IpcTimeoutException.class).hasMessageContaining("another lock holds it");
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
        assertThatThrownBy(() -> FileRegionLock.lock(file, Long.MAX_VALUE - 2, 4, true, DEADLINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past Long.MAX_VALUE");
    }

    private static String probe(Path file) throws IOException {
        try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_PROBE, file.toString()).start()) {
            String answer = python.nextLine(DEADLINE);
            assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            return answer;
        }
    }

    private static ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(MmapPeers.class).args(args).quickStart().start();
    }
}
