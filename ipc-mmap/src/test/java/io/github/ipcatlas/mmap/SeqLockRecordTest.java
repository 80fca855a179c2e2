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
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.mmap.peers.MmapPeers;

/** Readers never see a half-written record, never wait for a dead writer, and give up at their deadline. */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeqLockRecordTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldReadWhatWasWrittenAndCountVersions() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("record"), 4096, Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 64, 32);
            assertThat(record.tryRead(ByteBuffer.allocate(32))).as("a mapping of zeros is an empty record").isZero();
            record.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            record.write(ByteBuffer.wrap(new byte[] {4, 5}));

            ByteBuffer into = ByteBuffer.allocate(40);
            assertThat(record.read(into, DEADLINE)).isEqualTo(2);
            assertThat(into.position()).isEqualTo(2);
            assertThat(into.get(0)).isEqualTo((byte) 4);
            assertThat(record.version()).isEqualTo(2);
        }
    }

    @Test
    void shouldKeepTheCommittedValueReadableWhenAWriterDiesMidWrite() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("record"), 4096, Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, 16);
            record.write(ByteBuffer.wrap(new byte[] {7, 7, 7}));
            // what a writer killed half-way through its next write leaves: the other slot odd and half filled
            long slot = SeqLockLayout.slot(16, 0);
            map.setLongRelease(slot + SeqLockLayout.SLOT_SEQUENCE, map.getLongVolatile(slot + SeqLockLayout.SLOT_SEQUENCE) | 1);
            map.putInt(slot + SeqLockLayout.SLOT_LENGTH, 9);
            map.putByte(slot + SeqLockLayout.SLOT_PAYLOAD, (byte) 8);

            ByteBuffer into = ByteBuffer.allocate(16);
            assertThat(record.read(into, DEADLINE)).as("readers do not wait for the dead writer").isEqualTo(3);
            assertThat(into.array()).startsWith(7, 7, 7);
            assertThat(record.version()).isEqualTo(1);

            record.write(ByteBuffer.wrap(new byte[] {9, 9}));
            assertThat(record.read(into.clear(), DEADLINE)).as("the next writer takes over the slot").isEqualTo(2);
            assertThat(into.array()).startsWith(9, 9);
            assertThat(record.version()).isEqualTo(2);
            assertThat(map.getLongVolatile(slot + SeqLockLayout.SLOT_SEQUENCE) & 1).as("and leaves it even").isZero();
        }
    }

    @Test
    void shouldGiveUpAtTheDeadlineOnARecordThatHoldsGarbage() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("record"), 4096, Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, 16);
            record.write(ByteBuffer.wrap(new byte[] {1}));
            long slot = SeqLockLayout.slot(16, record.version() & 1);
            map.putInt(slot + SeqLockLayout.SLOT_LENGTH, Integer.MIN_VALUE); // another process wrote nonsense

            ByteBuffer into = ByteBuffer.allocate(16);
            assertThat(record.tryRead(into)).isEqualTo(-1);
            assertThat(into.position()).isZero();
            assertThatThrownBy(() -> record.read(into, Duration.ofMillis(50))).isInstanceOf(IpcTimeoutException.class)
                    .hasMessageContaining("no consistent copy").hasMessageContaining("50 ms");
            map.putInt(slot + SeqLockLayout.SLOT_LENGTH, 99);
            assertThat(record.tryRead(into)).as("a length past the capacity is refused too").isEqualTo(-1);
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
                writer.awaitLine("ready", DEADLINE);
                ByteBuffer into = ByteBuffer.allocate(256);
                long reads = 0;
                long lastVersion = 0;
                while (record.version() < writes) {
                    int length = record.read(into.clear(), DEADLINE);
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
                assertThat(writer.awaitExit(DEADLINE)).isZero();
                assertThat(reads).isPositive();
            }
        }
    }

    @Test
    void shouldRefuseRecordsThatDoNotFitOrAreMisalignedAndUseAfterClose() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("small"), 64, Growth.PREALLOCATE)) {
            assertThatThrownBy(() -> new SeqLockRecord(map, 4, 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8-byte aligned");
            assertThatThrownBy(() -> new SeqLockRecord(map, 0, 64)).hasMessageContaining("fit in the 64-byte mapping");
            SeqLockRecord record = new SeqLockRecord(map, 0, 8);
            assertThat(SeqLockRecord.footprint(8)).isEqualTo(64);
            assertThatThrownBy(() -> record.write(ByteBuffer.allocate(9))).hasMessageContaining("exceeds the record's 8");
            assertThatThrownBy(() -> record.tryRead(ByteBuffer.allocate(4))).hasMessageContaining("4 bytes of room");

            map.close();
            assertThatThrownBy(() -> record.write(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the mapping is closed");
            assertThatThrownBy(() -> record.read(ByteBuffer.allocate(8), DEADLINE)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(record::version).isInstanceOf(IllegalStateException.class);
        }
    }
}
