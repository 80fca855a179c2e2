package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MappedFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateGrowAndMapAFileWithMode0600() throws IOException {
        Path file = dir.resolve("data");
        try (MappedFile map = MappedFile.create(file, 10_000, Growth.PREALLOCATE)) {
            assertThat(map.length()).isEqualTo(10_000);
            assertThat(map.mode()).isEqualTo(MapMode.READ_WRITE);
            map.putLong(8, 0x1122334455667788L);
            map.putInt(100, -7);
            map.putByte(9_999, (byte) 5);

            assertThat(map.getLong(8)).isEqualTo(0x1122334455667788L);
            assertThat(map.getInt(100)).isEqualTo(-7);
            assertThat(map.getByte(9_999)).isEqualTo((byte) 5);
        }
        assertThat(Files.size(file)).isEqualTo(10_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (MappedFile bigger = MappedFile.create(file, 20_000, Growth.SPARSE)) {
            assertThat(bigger.getByte(9_999)).as("growing keeps the data").isEqualTo((byte) 5);
        }
        assertThat(Files.size(file)).isEqualTo(20_000);
    }

    @Test
    void shouldReserveBlocksOnlyWhenPreallocating() throws Exception {
        Path preallocated = dir.resolve("preallocated");
        Path sparse = dir.resolve("sparse");
        MappedFile.create(preallocated, 16L << 20, Growth.PREALLOCATE).close();
        MappedFile.create(sparse, 16L << 20, Growth.SPARSE).close();

        assertThat(allocatedBytes(preallocated)).isGreaterThanOrEqualTo(16L << 20);
        assertThat(allocatedBytes(sparse)).isLessThan(1L << 20);
    }

    @Test
    void shouldAddressAFileLargerThan2GiBAcrossAChunkBoundary() throws IOException {
        Path file = dir.resolve("huge");
        long size = 3L << 30; // sparse: costs no disk until written
        try (MappedFile map = MappedFile.create(file, size, Growth.SPARSE)) {
            long boundary = MappedFile.CHUNK_BYTES;
            map.putLong(boundary - 4, 0x0102030405060708L);      // straddles chunks 0 and 1
            map.putInt(boundary - 2, 0x0A0B0C0D);                 // overwrites the middle, straddling again
            map.putLong(size - 8, Long.MIN_VALUE);                // the last bytes, beyond 2 GiB
            map.put(2 * boundary - 3, ByteBuffer.wrap("across".getBytes(StandardCharsets.US_ASCII)));

            assertThat(map.getInt(boundary - 2)).isEqualTo(0x0A0B0C0D);
            assertThat(map.getByte(boundary - 4)).isEqualTo((byte) 0x08);
            assertThat(map.getLong(size - 8)).isEqualTo(Long.MIN_VALUE);
            ByteBuffer text = ByteBuffer.allocate(6);
            map.get(2 * boundary - 3, text);
            assertThat(new String(text.array(), StandardCharsets.US_ASCII)).isEqualTo("across");
            map.force(2 * boundary - 3, 6);
        }
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer text = ByteBuffer.allocate(6);
            channel.read(text, 2 * MappedFile.CHUNK_BYTES - 3);
            assertThat(new String(text.array(), StandardCharsets.US_ASCII)).as("written through to the file").isEqualTo("across");
        }
    }

    @Test
    void shouldRefuseWritesToAReadOnlyMapping() throws IOException {
        Path file = dir.resolve("ro");
        Files.write(file, new byte[] {1, 2, 3, 4});
        try (MappedFile map = MappedFile.map(file, MapMode.READ_ONLY)) {
            assertThat(map.getByte(3)).isEqualTo((byte) 4);
            assertThatThrownBy(() -> map.putByte(0, (byte) 9)).isInstanceOf(ReadOnlyBufferException.class);
            map.force(); // a no-op, not an error
        }
    }

    @Test
    void shouldKeepPrivateWritesAwayFromTheFileAndOtherMappingsPageByPage() throws IOException {
        Path file = dir.resolve("cow");
        Files.write(file, new byte[2 * 4096]);
        try (MappedFile shared = MappedFile.map(file, MapMode.READ_WRITE);
             MappedFile copy = MappedFile.map(file, MapMode.PRIVATE)) {
            copy.putByte(0, (byte) 7);          // page 0 of the private mapping is now a private copy
            shared.putByte(1, (byte) 8);        // same page, through the shared mapping
            shared.putByte(4096, (byte) 9);     // page 1, untouched by the private mapping

            assertThat(copy.getByte(0)).isEqualTo((byte) 7);
            assertThat(shared.getByte(0)).as("the private write is invisible to a shared mapping").isZero();
            assertThat(copy.getByte(1)).as("the private copy of page 0 was taken before the shared write").isZero();
            assertThat(copy.getByte(4096)).as("an untouched private page still shows the file").isEqualTo((byte) 9);
            copy.force();
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk[0]).as("never written to the file").isZero();
        assertThat(onDisk[1]).isEqualTo((byte) 8);
    }

    @Test
    void shouldMapARegionInTheMiddleOfTheFile() throws IOException {
        Path file = dir.resolve("region");
        byte[] bytes = new byte[8192];
        bytes[5000] = 42;
        Files.write(file, bytes);
        try (MappedFile region = MappedFile.map(file, MapMode.READ_ONLY, 4096, 2048)) {
            assertThat(region.position()).isEqualTo(4096);
            assertThat(region.getByte(904)).isEqualTo((byte) 42);
            assertThatThrownBy(() -> region.getByte(2048)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset 2048 (+1 bytes) is outside the 2048-byte mapping");
        }
    }

    @Test
    void shouldRefuseAccessAfterClose() throws IOException {
        MappedFile map = MappedFile.create(dir.resolve("closed"), 64, Growth.PREALLOCATE);
        map.close();
        map.close();

        assertThat(map.isOpen()).isFalse();
        assertThatThrownBy(() -> map.getLong(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("the mapping is closed");
        assertThatThrownBy(() -> map.setLongRelease(0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(map::force).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReportATruncatedFileBeforeAnyAccessFaults() throws IOException {
        Path file = dir.resolve("truncated");
        try (MappedFile map = MappedFile.create(file, 2 * 4096, Growth.PREALLOCATE)) {
            map.putLong(4096, 1);
            map.verifyNotTruncated();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(4096); // as another process could: the second page is gone
            }
            assertThatThrownBy(map::verifyNotTruncated).isInstanceOf(TruncatedMappingException.class)
                    .hasMessageContaining("the mapped region [0, 8192) of " + file + " reaches past the end of its file")
                    .hasMessageContaining("SIGBUS");
            assertThat(map.getLong(0)).as("pages still backed by the file stay usable").isZero();
        }
    }

    @Test
    void shouldReportATruncatedFileEvenWhenAnIntactOneNowHasItsName() throws IOException {
        Path file = dir.resolve("replaced");
        Path moved = dir.resolve("moved");
        try (MappedFile map = MappedFile.create(file, 2 * 4096, Growth.PREALLOCATE)) {
            Files.move(file, moved);
            Files.write(file, new byte[4 * 4096]); // a larger file where the mapped one was
            try (FileChannel channel = FileChannel.open(moved, StandardOpenOption.WRITE)) {
                channel.truncate(100); // the mapped file loses its second page
            }
            assertThatThrownBy(map::verifyNotTruncated).as("the mapping, not the name, is what is checked")
                    .isInstanceOf(TruncatedMappingException.class).hasMessageContaining("reaches past the end");

            try (FileChannel channel = FileChannel.open(moved, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.allocate(1), 2 * 4096 - 1); // grown back: every page backed again
            }
            map.verifyNotTruncated();
            assertThat(map.getLong(4096)).isZero();
        }
    }

    @Test
    void shouldCountExactlyWithAtomicAddsFromManyThreads() throws Exception {
        try (MappedFile map = MappedFile.create(dir.resolve("atomic"), 64, Growth.PREALLOCATE)) {
            CompletableFuture<?>[] adders = new CompletableFuture<?>[4];
            for (int t = 0; t < adders.length; t++) {
                adders[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        map.getAndAddLong(8, 1);
                    }
                });
            }
            CompletableFuture.allOf(adders).get(30, TimeUnit.SECONDS);

            assertThat(map.getLongVolatile(8)).isEqualTo(200_000);
            assertThat(map.compareAndSetLong(8, 200_000, 7)).isTrue();
            assertThat(map.compareAndSetLong(8, 200_000, 9)).isFalse();
            assertThat(map.getLongAcquire(8)).isEqualTo(7);
        }
    }

    @Test
    void shouldRefuseEveryBadArgument() throws IOException {
        Path file = Files.write(dir.resolve("small"), new byte[16]);

        assertThatThrownBy(() -> MappedFile.map(file, MapMode.READ_ONLY, -1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position -1 is negative");
        assertThatThrownBy(() -> MappedFile.map(file, MapMode.READ_ONLY, 0, -4)).hasMessageContaining("length -4 is negative");
        assertThatThrownBy(() -> MappedFile.map(file, MapMode.READ_ONLY, 8, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region [8, 24) extends past the end of").hasMessageContaining("(16 bytes)");
        assertThatThrownBy(() -> MappedFile.map(file, MapMode.READ_WRITE, 0, 32)).hasMessageContaining("grow the file first");
        assertThatThrownBy(() -> MappedFile.map(dir.resolve("missing"), MapMode.READ_ONLY))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> MappedFile.map(dir, MapMode.READ_ONLY)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> MappedFile.create(dir, 10, Growth.SPARSE)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> MappedFile.create(dir.resolve("x"), 0, Growth.SPARSE)).hasMessageContaining("size 0");
        assertThat(Files.size(file)).as("nothing grew").isEqualTo(16);
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            assertThatThrownBy(() -> map.getLong(12)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> map.getLong(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> map.getLongAcquire(4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not 8-byte aligned");
        }
    }

    private static long allocatedBytes(Path file) throws IOException {
        try (ChildProcess stat = ChildProcess.builder("stat", "-c", "%b %B", file.toString()).start()) {
            ChildProcess.Outcome outcome = stat.finish(Duration.ofSeconds(10));
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            String[] parts = outcome.stdout().get(0).strip().split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        }
    }
}
