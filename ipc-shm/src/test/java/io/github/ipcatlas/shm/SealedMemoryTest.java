package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.peers.ShmPeers;

class SealedMemoryTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseEveryProcessThatTriesToShrinkOrGrowIt() throws IOException {
        try (SealedMemory memory = SealedMemory.create("sealed-test", 8192)) {
            memory.memory().putLong(8184, 42);
            // a hostile peer of the same user, through the path we share
            try (ChildProcess python = ChildProcess.builder("python3", "-c", String.join("\n",
                    "import os, sys",
                    "fd = os.open(sys.argv[1], os.O_RDWR)",
                    "for size in (0, 4096, 1 << 20):",
                    "    try:",
                    "        os.ftruncate(fd, size); print('truncated to', size)",
                    "    except PermissionError:",
                    "        print('refused', size)"), memory.path().toString()).start()) {
                assertThat(python.finish(DEADLINE).stdout()).containsExactly("refused 0", "refused 4096",
                        "refused 1048576");
            }
            assertThat(memory.size()).isEqualTo(8192);
            assertThat(memory.memory().getLong(8184)).as("the last page is still there").isEqualTo(42);
            assertThat(memory.path().toString()).matches("/proc/\\d+/fd/\\d+");
        }
    }

    @Test
    void shouldShareARobustMutexWithAnotherJvmThroughItsPath() throws IOException {
        try (SealedMemory memory = SealedMemory.create("sealed-mutex", 4096)) {
            RobustMutex mutex = RobustMutex.initialize(memory.memory(), 0);
            try (ChildProcess child = ChildJvm.builder(ShmPeers.class)
                    .args("sealed-locked-add", memory.path().toString(), "20000").start()) {
                for (int i = 0; i < 20_000; i++) {
                    mutex.lock();
                    try {
                        memory.memory().putLong(64, memory.memory().getLong(64) + 1);
                    } finally {
                        mutex.unlock();
                    }
                }
                assertThat(child.finish(DEADLINE).stdout()).as("the child's adds").containsExactly("done");
            }
            assertThat(memory.memory().getLong(64)).as("no add lost under the shared mutex").isEqualTo(40_000);
        }
    }

    @Test
    void shouldRefuseToOpenMemoryThatAPeerCouldShrink() throws IOException {
        Path file = dir.resolve("ordinary");
        try (MappedFile ordinary = MappedFile.create(file, 4096, Growth.PREALLOCATE)) {
            assertThatThrownBy(() -> SealedMemory.open(file, false)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not memory sealed against shrinking");
        }
        String name = IpcNames.unique("not-sealed");
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            assertThatThrownBy(() -> SealedMemory.open(SharedMemory.DEV_SHM.resolve(name.substring(1)), true))
                    .isInstanceOf(IOException.class).hasMessageContaining("not memory sealed against shrinking");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseBadArgumentsBeforeAnyCallAndFreeEverythingOnClose() throws IOException {
        assertThatThrownBy(() -> SealedMemory.create("a/b", 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a/b\"");
        assertThatThrownBy(() -> SealedMemory.create("x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 0");
        Path path;
        try (SealedMemory memory = SealedMemory.create("sealed-close", 4096)) {
            path = memory.path();
            assertThat(Files.readSymbolicLink(path).toString()).startsWith("/memfd:sealed-close");
        }
        assertThat(Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the descriptor is closed").isFalse();
    }
}
