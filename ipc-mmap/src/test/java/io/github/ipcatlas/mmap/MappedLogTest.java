package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedLogTest {
    @TempDir
    Path dir;

    @Test
    void shouldAppendAndReadBackInOrderIncludingEmptyRecords() throws IOException {
        try (MappedLog log = MappedLog.open(dir.resolve("log"), 1 << 16)) {
            assertThat(log.append(ByteBuffer.wrap(LogRecords.payload(0)))).isZero();
            assertThat(log.append(ByteBuffer.allocate(0))).isEqualTo(1);
            assertThat(log.append(ByteBuffer.wrap(LogRecords.payload(2)))).isEqualTo(2);

            assertThat(readAll(log)).containsExactly(LogRecords.payload(0), new byte[0], LogRecords.payload(2));
        }
    }

    @Test
    void shouldRecoverItsEndWhenReopened() throws IOException {
        Path file = dir.resolve("log");
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            for (int i = 0; i < 10; i++) {
                log.append(ByteBuffer.wrap(LogRecords.payload(i)));
            }
        }
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            assertThat(log.count()).isEqualTo(10);
            log.append(ByteBuffer.wrap(LogRecords.payload(10)));
            assertThat(readAll(log)).hasSize(11).last().isEqualTo(LogRecords.payload(10));
        }
    }

    @Test
    void shouldIgnoreATornRecordAndOverwriteIt() throws IOException {
        Path file = dir.resolve("log");
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            log.append(ByteBuffer.wrap(LogRecords.payload(0)));
        }
        long tornAt;
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            // a writer that died mid-record: length and part of the payload, no checksum, no commit marker
            tornAt = MappedLog.HEADER_BYTES + 16 + ((LogRecords.payload(0).length + 7) & ~7);
            map.putInt(tornAt, 100 + 1);
            map.put(tornAt + 8, ByteBuffer.wrap(new byte[] {9, 9, 9}));
        }
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            assertThat(log.count()).as("the torn record does not count").isEqualTo(1);
            assertThat(readAll(log)).hasSize(1);
            log.append(ByteBuffer.wrap(LogRecords.payload(1)));
            assertThat(readAll(log)).containsExactly(LogRecords.payload(0), LogRecords.payload(1));
        }
    }

    @Test
    void shouldTreatACorruptedRecordAsTheEnd() throws IOException {
        Path file = dir.resolve("log");
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            log.append(ByteBuffer.wrap(LogRecords.payload(0)));
            log.append(ByteBuffer.wrap(LogRecords.payload(1)));
        }
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            long second = MappedLog.HEADER_BYTES + 16 + ((LogRecords.payload(0).length + 7) & ~7);
            map.putByte(second + 8, (byte) (map.getByte(second + 8) ^ 1)); // flip a payload bit
        }
        try (MappedLog log = MappedLog.open(file, 1 << 16)) {
            assertThat(log.count()).isEqualTo(1);
            assertThat(readAll(log)).containsExactly(LogRecords.payload(0));
        }
    }

    @Test
    void shouldSayHowFullAFullLogIs() throws IOException {
        try (MappedLog log = MappedLog.open(dir.resolve("log"), 256)) {
            log.append(ByteBuffer.allocate(100));
            assertThatThrownBy(() -> log.append(ByteBuffer.allocate(100))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is full: 1 records use 184 of 256 bytes");
            assertThat(log.count()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotALogAndBadArguments() throws IOException {
        Path other = Files.write(dir.resolve("other"), "definitely not a log, just text".repeat(10).getBytes());
        assertThatThrownBy(() -> MappedLog.open(other, 1024)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a mapped log");
        assertThatThrownBy(() -> MappedLog.open(dir.resolve("tiny"), 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity 10 is too small");
        try (MappedLog log = MappedLog.open(dir.resolve("log"), 1024)) {
            log.append(ByteBuffer.allocate(64));
            assertThatThrownBy(() -> log.cursor().next(ByteBuffer.allocate(8))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("record of 64 bytes does not fit in 8");
        }
    }

    static List<byte[]> readAll(MappedLog log) {
        List<byte[]> records = new ArrayList<>();
        MappedLog.Cursor cursor = log.cursor();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (int n; (n = cursor.next(buffer.clear())) >= 0; ) {
            byte[] record = new byte[n];
            buffer.flip().get(record);
            records.add(record);
        }
        return records;
    }
}
