package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.mmap.access.ChunkWords;
import io.github.ipcatlas.mmap.access.NativeAccess;

/** Words by address (JDK 17–21) check every offset themselves: the class is public, so no caller can skip the check. */
class ChunkWordsTest {
    @TempDir
    Path dir;

    @Test
    void shouldBeOfferedOnJdk17To21Only() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("jdk"), 4096, Growth.SPARSE)) {
            MappedByteBuffer chunk = NativeAccess.firstBuffer(map, 4096);
            if (Runtime.version().feature() >= 22) {
                assertThat(ChunkWords.ENABLED).isFalse();
                assertThatThrownBy(() -> ChunkWords.of(chunk, 4096)).isInstanceOf(IllegalStateException.class);
            } else {
                assertThat(ChunkWords.ENABLED).isTrue();
            }
        }
    }

    @Test
    void shouldRefuseOffsetsPastItsLimitMisalignedOrNegativeAndLimitsPastTheChunkOrNotExistAtAll() throws IOException {
        Path file = dir.resolve("words");
        try (MappedFile map = MappedFile.create(file, 4096, Growth.SPARSE);
             MappedFile readOnly = MappedFile.map(file, MapMode.READ_ONLY)) {
            MappedByteBuffer chunk = NativeAccess.firstBuffer(map, 4096);
            if (!ChunkWords.ENABLED) { // JDK 22+: no unchecked route exists at all
                assertThatThrownBy(() -> ChunkWords.of(chunk, 64)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("only on JDK 17-21");
                return;
            }
            assertThatThrownBy(() -> ChunkWords.of(chunk, 4097)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4097 bytes of a 4096-byte");
            assertThatThrownBy(() -> ChunkWords.of(NativeAccess.firstBuffer(readOnly, 4096), 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            ChunkWords words = ChunkWords.of(chunk, 1024);
            words.putLongRelease(1016, 7);
            assertThat(map.getLong(1016)).isEqualTo(7);
            assertThatThrownBy(() -> words.putLong(1024, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("word at 1024");
            assertThatThrownBy(() -> words.getLongAcquire(-8)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> words.getIntVolatile(1022)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> words.compareAndSetInt(6, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("misaligned");
        }
    }
}
