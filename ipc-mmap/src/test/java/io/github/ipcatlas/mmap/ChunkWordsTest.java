package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.mmap.access.ChunkWords;
import io.github.ipcatlas.mmap.access.NativeAccess;
import io.github.ipcatlas.mmap.peers.SegmentChunkPeer;

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

    @Test
    void shouldCopyRecordsInAndOutWithinItsLimitAndRefuseCopiesPastItOrPastTheBuffer() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("copies"), 4096, Growth.SPARSE)) {
            if (!ChunkWords.ENABLED) {
                return; // JDK 22+: no such route, as above
            }
            ChunkWords words = ChunkWords.of(NativeAccess.firstBuffer(map, 4096), 1024);
            for (ByteBuffer source : new ByteBuffer[] {ByteBuffer.allocate(100), ByteBuffer.allocateDirect(100)}) {
                for (int i = 0; i < 100; i++) {
                    source.put(i, (byte) (i + 1));
                }
                assertThat(words.copyIn(1024 - 72, source.position(10).limit(82), 72)).isTrue();
                assertThat(source.position()).isEqualTo(82);
                assertThat(map.getByte(1024 - 72)).isEqualTo((byte) 11);
                assertThat(map.getByte(1023)).isEqualTo((byte) 82);

                ByteBuffer destination = ByteBuffer.allocateDirect(80).position(8);
                assertThat(words.copyOut(1024 - 72, destination, 72)).isTrue();
                assertThat(destination.position()).isEqualTo(80);
                assertThat(destination.get(8)).isEqualTo((byte) 11);
                assertThat(destination.get(79)).isEqualTo((byte) 82);

                assertThatThrownBy(() -> words.copyIn(1024 - 71, source.clear(), 72))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("outside 1024 bytes");
                assertThatThrownBy(() -> words.copyOut(-8, destination.clear(), 8))
                        .isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> words.copyOut(0, destination.clear().position(20), 64))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("80-byte buffer");
                assertThat(destination.position()).as("nothing copied").isEqualTo(20);
                assertThat(words.copyOut(0, ByteBuffer.allocate(8).asReadOnlyBuffer(), 8)).as("left to the JDK")
                        .isFalse();
            }
        }
    }

    @Test
    void shouldRefuseAChunkThatViewsAMemorySegmentWhoseOwnerCanUnmapIt() throws IOException {
        // JDK 17 maps files into segments with its incubating foreign API; closing the scope unmaps at once, so a
        // raw access after it would crash the JVM: the raw routes must refuse such a chunk outright
        if (!ChunkWords.ENABLED || java.lang.module.ModuleFinder.ofSystem().find("jdk.incubator.foreign").isEmpty()) {
            return; // JDK 22+: no raw route at all; JDK 18-21 map segments only through preview APIs
        }
        try (ChildProcess peer = ChildJvm.builder(SegmentChunkPeer.class).args(dir.resolve("segment").toString())
                .jvmOptions("--add-modules", "jdk.incubator.foreign").quickStart().start()) {
            ChildProcess.Outcome outcome = peer.finish(Duration.ofSeconds(60));
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).containsExactly(
                    "words refused: a chunk that views a memory segment can be unmapped by the segment's owner at any "
                            + "time: not for words by address",
                    "copyIn refused", "copyOut refused");
        }
    }
}
