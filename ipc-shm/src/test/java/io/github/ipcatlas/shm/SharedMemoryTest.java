package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

class SharedMemoryTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final List<String> names = new ArrayList<>();

    @AfterEach
    void unlink() throws IOException {
        for (String name : names) {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCreateAReservedSegmentWithMode0600InDevShm() throws IOException {
        String name = name();
        try (SharedMemory segment = SharedMemory.create(name, 10_000)) {
            assertThat(segment.size()).isEqualTo(10_000);
            assertThat(segment.name()).isEqualTo(name);
            var file = SharedMemory.DEV_SHM.resolve(name.substring(1));
            assertThat(Files.size(file)).isEqualTo(10_000);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            // before any write, so the blocks can only come from posix_fallocate
            assertThat(allocatedBytes(file)).as("memory reserved").isGreaterThanOrEqualTo(10_000);
            segment.memory().putLong(8, 99);
        }
        try (SharedMemory again = SharedMemory.open(name, true)) {
            assertThat(again.memory().getLong(8)).as("the segment outlives the mapping").isEqualTo(99);
            assertThatThrownBy(() -> again.memory().putLong(8, 1)).isInstanceOf(ReadOnlyBufferException.class);
        }
    }

    @Test
    void shouldWaitForAnotherCreatorToSizeASegmentAndRefuseOneNeverSized() throws Exception {
        String name = name();
        // python3 does what a creator does in two steps (shm_open, then the size), 300 ms apart
        try (ChildProcess creator = ChildProcess.builder("python3", "-c", String.join("\n",
                "import os, sys, time",
                "fd = os.open('/dev/shm/' + sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)",
                "print('created', flush=True)",
                "time.sleep(0.3)",
                "os.ftruncate(fd, 8192)"), name.substring(1)).start()) {
            creator.awaitLine("created", DEADLINE);
            try (SharedMemory opened = SharedMemory.openOrCreate(name, 4096)) {
                assertThat(opened.size()).as("the creator's size, once it gave one").isEqualTo(8192);
            }
        }

        String orphan = name();
        Files.createFile(SharedMemory.DEV_SHM.resolve(orphan.substring(1))); // a creator that died before sizing
        long started = System.nanoTime();
        assertThatThrownBy(() -> SharedMemory.openOrCreate(orphan, 4096)).isInstanceOf(IOException.class)
                .hasMessageContaining(orphan + " exists but has 0 bytes").hasMessageContaining("unlink it");
        assertThat(System.nanoTime() - started).as("it waited for the size, then gave up")
                .isGreaterThanOrEqualTo(SharedMemory.SIZING_WAIT.toNanos());
    }

    @Test
    void shouldOpenAnExistingSegmentWhateverSizeWasAskedForANewOne() throws IOException {
        String name = name();
        try (SharedMemory created = SharedMemory.create(name, 4096)) {
            long tooLarge = Files.getFileStore(SharedMemory.DEV_SHM).getUsableSpace() + 1;
            try (SharedMemory opened = SharedMemory.openOrCreate(name, tooLarge)) {
                assertThat(opened.size()).as("the existing segment, though a new one of that size would not fit")
                        .isEqualTo(4096);
            }
        }
        assertThatThrownBy(() -> SharedMemory.openOrCreate(name(), Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    @Test
    void shouldMapExistingAndMissingSegmentsToTheJdkTypes() throws IOException {
        String name = name();
        try (SharedMemory segment = SharedMemory.create(name, 64)) {
            assertThatThrownBy(() -> SharedMemory.create(name, 64)).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessage("shm_open(" + name + ") failed: EEXIST (File exists)");
            try (SharedMemory same = SharedMemory.openOrCreate(name, 8)) {
                assertThat(same.size()).as("an existing segment keeps its size").isEqualTo(64);
            }
        }
        String missing = name();
        assertThatThrownBy(() -> SharedMemory.open(missing, false)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("shm_open(" + missing + ") failed: ENOENT");
        assertThatThrownBy(() -> SharedMemory.unlink(missing)).isInstanceOf(NoSuchFileException.class);
        assertThat(SharedMemory.unlinkIfExists(missing)).isFalse();
        SharedMemory.unlink(name);
        assertThat(Files.exists(SharedMemory.DEV_SHM.resolve(name.substring(1)))).isFalse();
    }

    @Test
    void shouldRefuseEveryBadInputBeforeCreatingAnything() throws IOException {
        String name = name();
        assertThatThrownBy(() -> SharedMemory.create("prices", 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> SharedMemory.create("/a/b", 8)).hasMessageContaining("'/' only at the start");
        assertThatThrownBy(() -> SharedMemory.create(name, 0)).hasMessageContaining("segment size 0");
        assertThatThrownBy(() -> SharedMemory.create(name, -5)).hasMessageContaining("segment size -5");
        assertThatThrownBy(() -> SharedMemory.create(name, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit: /dev/shm has");
        assertThatThrownBy(() -> SharedMemory.create(name, 8, 01000)).hasMessageContaining("mode 1000 (octal)");
        assertThat(Files.exists(SharedMemory.DEV_SHM.resolve(name.substring(1)))).as("nothing half-created").isFalse();
    }

    @Test
    void shouldGrowKeepingTheContentsAndRemappingButNeverShrink() throws IOException {
        String name = name();
        try (SharedMemory segment = SharedMemory.create(name, 64)) {
            segment.memory().putLong(56, 7);
            segment.resize(8192);
            assertThat(segment.size()).isEqualTo(8192);
            assertThat(segment.memory().getLong(56)).isEqualTo(7);
            segment.memory().putLong(8184, 9);
            assertThat(Files.size(SharedMemory.DEV_SHM.resolve(name.substring(1)))).isEqualTo(8192);

            assertThatThrownBy(() -> segment.resize(16)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shrinking " + name + " from 8192 to 16 bytes is refused");
            assertThat(Files.size(SharedMemory.DEV_SHM.resolve(name.substring(1)))).isEqualTo(8192);
            assertThatThrownBy(() -> segment.resize(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRefuseUseAfterClose() throws IOException {
        SharedMemory segment = SharedMemory.create(name(), 64);
        segment.close();
        segment.close();

        assertThatThrownBy(() -> segment.memory().getLong(0)).isInstanceOf(IllegalStateException.class);
        assertThat(segment.toString()).contains("closed");
    }

    @Test
    void shouldCarryBytesBetweenTwoMappingsOfOneSegment() throws IOException {
        String name = name();
        try (SharedMemory writer = SharedMemory.create(name, 64); SharedMemory reader = SharedMemory.open(name, true)) {
            writer.memory().put(3, ByteBuffer.wrap(new byte[] {7, 8, 9}));

            ByteBuffer read = ByteBuffer.allocate(3);
            reader.memory().get(3, read);
            assertThat(read.array()).containsExactly(7, 8, 9);
        }
    }

    private String name() {
        String name = IpcNames.unique("t-shm");
        names.add(name);
        return name;
    }

    /** The blocks the file holds, as stat(1), a program that is not ours, counts them. */
    private static long allocatedBytes(Path file) throws IOException {
        try (ChildProcess stat = ChildProcess.builder("stat", "-c", "%b %B", file.toString()).start()) {
            ChildProcess.Outcome outcome = stat.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            String[] parts = outcome.stdout().get(0).strip().split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        }
    }
}
