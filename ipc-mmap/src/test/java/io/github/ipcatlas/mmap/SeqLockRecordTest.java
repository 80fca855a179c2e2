package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.mmap.peers.MmapPeers;

/** Readers never see a half-written record, in this JVM or while another JVM writes. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SeqLockRecordTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadWhatWasWrittenAndCountVersions() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("record"), 4096, Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 64, 32);
            record.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            record.write(ByteBuffer.wrap(new byte[] {4, 5}));

            ByteBuffer into = ByteBuffer.allocate(40);
            assertThat(record.read(into)).isEqualTo(2);
            assertThat(into.position()).isEqualTo(2);
            assertThat(into.get(0)).isEqualTo((byte) 4);
            assertThat(record.version()).isEqualTo(2);
        }
    }

    @Test
    void shouldNeverShowATornRecordWhileAnotherJvmWrites() throws IOException {
        Path file = dir.resolve("shared-record");
        try (MappedFile map = MappedFile.create(file, SeqLockRecord.footprint(256), Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, 256);
            int writes = 200_000;
            try (ChildProcess writer = ChildJvm.builder(MmapPeers.class).args("seqlock-writer", file.toString(),
                    String.valueOf(writes)).quickStart().start()) {
                writer.awaitLine("ready", Duration.ofSeconds(30));
                ByteBuffer into = ByteBuffer.allocate(256);
                long reads = 0;
                long lastVersion = 0;
                while (record.version() < writes) {
                    int length = record.read(into.clear());
                    if (length > 0) {
                        byte first = into.get(0);
                        for (int i = 0; i < length; i++) {
                            if (into.get(i) != first) {
                                throw new AssertionError("torn read: byte " + i + " is " + into.get(i) + ", byte 0 is " + first);
                            }
                        }
                        assertThat(length).as("length matches the version it came with").isEqualTo(1 + (first & 0xff) % 256);
                    }
                    long version = record.version();
                    assertThat(version).isGreaterThanOrEqualTo(lastVersion);
                    lastVersion = version;
                    reads++;
                }
                assertThat(writer.awaitExit(Duration.ofSeconds(30))).isZero();
                assertThat(reads).isPositive();
            }
        }
    }

    @Test
    void shouldRefuseRecordsThatDoNotFitOrAreMisaligned() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("small"), 64, Growth.PREALLOCATE)) {
            assertThatThrownBy(() -> new SeqLockRecord(map, 4, 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8-byte aligned");
            assertThatThrownBy(() -> new SeqLockRecord(map, 0, 64)).hasMessageContaining("fit in the 64-byte mapping");
            SeqLockRecord record = new SeqLockRecord(map, 0, 8);
            assertThatThrownBy(() -> record.write(ByteBuffer.allocate(9))).hasMessageContaining("exceeds the record's 8");
            assertThatThrownBy(() -> record.read(ByteBuffer.allocate(4))).hasMessageContaining("4 bytes of room");
        }
    }
}
