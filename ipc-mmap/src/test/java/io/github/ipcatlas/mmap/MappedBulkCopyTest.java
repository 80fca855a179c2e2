package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk {@code get}/{@code put} with every kind of caller buffer: on JDK 17–21 they take the Unsafe copy
 * ({@code internal.SmallCopy}), which must honour positions, limits, array offsets and read-only buffers exactly as
 * the JDK's own copy, which they take on 22+ (the suite runs on both).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MappedBulkCopyTest {
    @TempDir
    Path dir;

    @Test
    void shouldCopyFromAndToHeapDirectSlicedAndReadOnlyBuffersHonouringPositionAndLimit() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("copy"), 4096, Growth.SPARSE)) {
            for (ByteBuffer source : sources()) {
                int expected = source.remaining();
                int end = source.limit();
                map.zero(0, 4096);
                map.put(100, source);
                assertThat(source.position()).as("the source's position advanced, " + source).isEqualTo(end);
                for (int i = 0; i < expected; i++) {
                    assertThat(map.getByte(100 + i)).as("byte " + i + " from " + source).isEqualTo((byte) (i + 1));
                }
                assertThat(map.getByte(99)).as("nothing before").isZero();
                assertThat(map.getByte(100 + expected)).as("nothing after").isZero();

                for (ByteBuffer destination : destinations(expected)) {
                    int from = destination.position();
                    map.get(100, destination);
                    assertThat(destination.position()).isEqualTo(from + expected);
                    for (int i = 0; i < expected; i++) {
                        assertThat(destination.get(from + i)).as("byte " + i + " into " + destination)
                                .isEqualTo((byte) (i + 1));
                    }
                    assertThat(destination.get(from - 1)).as("the byte before the position is untouched").isEqualTo((byte) 77);
                }
            }
        }
    }

    @Test
    void shouldCopyEveryLengthAtEveryAlignmentExactlyWithNothingBeforeOrAfter() throws IOException {
        // every length and alignment around the word size, through both the Unsafe copy (JDK 17-21) and the JDK's
        try (MappedFile map = MappedFile.create(dir.resolve("lengths"), 4096, Growth.SPARSE)) {
            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(512), ByteBuffer.allocateDirect(512)}) {
                for (int length = 0; length <= 300; length++) {
                    for (int align = 0; align < 8; align++) {
                        int at = 1000 + align;
                        map.zero(0, 4096);
                        buffer.clear();
                        for (int i = 0; i < buffer.capacity(); i++) {
                            buffer.put(i, (byte) (i * 7 + length));
                        }
                        map.put(at, buffer.position(align + 1).limit(align + 1 + length));
                        assertThat(map.getByte(at - 1)).as("before, length %d align %d", length, align).isZero();
                        assertThat(map.getByte(at + length)).as("after, length %d align %d", length, align).isZero();
                        for (int i = 0; i < length; i++) {
                            assertThat(map.getByte(at + i)).isEqualTo((byte) ((align + 1 + i) * 7 + length));
                        }
                        buffer.clear();
                        for (int i = 0; i < buffer.capacity(); i++) {
                            buffer.put(i, (byte) 77);
                        }
                        map.get(at, buffer.position(align + 3).limit(align + 3 + length));
                        buffer.clear();
                        assertThat(buffer.get(align + 2)).as("before, length %d align %d", length, align).isEqualTo((byte) 77);
                        assertThat(buffer.get(align + 3 + length)).as("after").isEqualTo((byte) 77);
                        for (int i = 0; i < length; i++) {
                            assertThat(buffer.get(align + 3 + i)).isEqualTo((byte) ((align + 1 + i) * 7 + length));
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldCopyBetweenOverlappingRangesOfTheSameMemoryAsMemmoveDoes() throws IOException {
        // a caller's buffer may view the mapping itself: a copy between overlapping ranges must not smear
        try (MappedFile map = MappedFile.create(dir.resolve("overlap"), 4096, Growth.SPARSE)) {
            ByteBuffer sameMemory = io.github.ipcatlas.mmap.access.NativeAccess.firstBuffer(map, 4096).duplicate();
            for (int shift : new int[] {-9, -8, -3, -1, 1, 3, 8, 9}) {
                for (int length : new int[] {8, 17, 64, 100, 128, 200}) {
                    byte[] expected = new byte[4096];
                    for (int i = 0; i < 4096; i++) {
                        map.putByte(i, (byte) i);
                        expected[i] = (byte) i;
                    }
                    System.arraycopy(expected.clone(), 1000, expected, 1000 + shift, length);
                    map.get(1000, sameMemory.clear().position(1000 + shift).limit(1000 + shift + length));
                    for (int i = 0; i < 4096; i++) {
                        assertThat(map.getByte(i)).as("byte %d, shift %d, length %d", i, shift, length)
                                .isEqualTo(expected[i]);
                    }
                }
            }
        }
    }

    @Test
    void shouldRefuseReadOnlyDestinationsAndReadOnlyMappingsWithoutTouchingMemory() throws IOException {
        Path file = dir.resolve("read-only");
        try (MappedFile writable = MappedFile.create(file, 4096, Growth.SPARSE);
             MappedFile readOnly = MappedFile.map(file, MapMode.READ_ONLY)) {
            writable.putLong(0, 42);
            ByteBuffer source = ByteBuffer.allocateDirect(64);
            assertThatThrownBy(() -> readOnly.put(0, source)).isInstanceOf(ReadOnlyBufferException.class);
            assertThat(source.position()).as("nothing consumed").isZero();
            assertThat(readOnly.getLong(0)).isEqualTo(42);

            for (ByteBuffer destination : new ByteBuffer[] {ByteBuffer.allocate(8).asReadOnlyBuffer(),
                    ByteBuffer.allocateDirect(8).asReadOnlyBuffer()}) {
                assertThatThrownBy(() -> writable.get(0, destination)).isInstanceOf(ReadOnlyBufferException.class);
            }
        }
    }

    @Test
    void shouldRefuseCopiesOutsideTheMappingBeforeTouchingMemory() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("bounds"), 4096, Growth.SPARSE)) {
            ByteBuffer large = ByteBuffer.allocateDirect(64);
            assertThatThrownBy(() -> map.put(4096 - 63, large)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset 4033");
            assertThatThrownBy(() -> map.get(-1, large)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(large.position()).isZero();
        }
    }

    @Test
    void shouldCopyNothingAtTheEndOfTheMappingAndOfAnEmptyOne() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("end"), 4096, Growth.SPARSE)) {
            map.get(4096, ByteBuffer.allocate(0));
            map.put(4096, ByteBuffer.allocateDirect(0));
            assertThatThrownBy(() -> map.get(4097, ByteBuffer.allocate(0))).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset 4097");
        }
        java.nio.file.Files.createFile(dir.resolve("empty"));
        try (MappedFile empty = MappedFile.map(dir.resolve("empty"), MapMode.READ_WRITE)) {
            empty.get(0, ByteBuffer.allocate(0));
        }
    }

    @Test
    void shouldRefuseAnUnsafeCopyThatWouldNotFitTheBufferFromItsPositionReadOnce() throws IOException {
        // what a racing thread can produce: a length measured before the position moved
        try (MappedFile map = MappedFile.create(dir.resolve("fit"), 4096, Growth.SPARSE)) {
            java.nio.MappedByteBuffer chunk = io.github.ipcatlas.mmap.access.NativeAccess.firstBuffer(map, 4096);
            ByteBuffer buffer = ByteBuffer.allocateDirect(100).position(60);
            if (io.github.ipcatlas.mmap.access.SmallCopy.ENABLED) {
                assertThatThrownBy(() -> io.github.ipcatlas.mmap.access.SmallCopy.copyOut(chunk, 0, buffer, 50))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("from position 60");
                assertThatThrownBy(() -> io.github.ipcatlas.mmap.access.SmallCopy.copyIn(buffer, 50, chunk, 0))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("100-byte buffer");
                assertThatThrownBy(() -> io.github.ipcatlas.mmap.access.SmallCopy.copyIn(buffer, 40, chunk, 4090))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("4096-byte chunk");
            } else { // JDK 22+: the JDK copies, and checks
                assertThat(io.github.ipcatlas.mmap.access.SmallCopy.copyOut(chunk, 0, buffer, 50)).isFalse();
            }
            assertThat(buffer.position()).as("nothing copied").isEqualTo(60);
        }
    }

    @Test
    void shouldNeverCopyOutsideACallersBufferWhoseLimitAnotherThreadMoves() throws Exception {
        ByteBuffer whole = ByteBuffer.allocateDirect(8192);
        for (int i = 4096; i < 8192; i++) {
            whole.put(i, (byte) 0x5E); // past the slice: no copy may reach it
        }
        ByteBuffer destination = whole.slice(0, 4096);
        try (MappedFile map = MappedFile.create(dir.resolve("race"), 8192, Growth.SPARSE)) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread mover = new Thread(() -> {
                while (!done.get()) {
                    destination.position(4000); // racing the copy's reads of position and limit
                }
            });
            mover.start();
            try {
                for (int i = 0; i < 200_000; i++) {
                    try {
                        destination.clear();
                        map.get(0, destination);
                    } catch (IndexOutOfBoundsException | IllegalArgumentException refused) {
                        // a copy that no longer fits is refused: the race is the caller's, the memory stays ours
                    }
                }
            } finally {
                done.set(true);
                mover.join();
            }
            for (int i = 4096; i < 8192; i++) {
                assertThat(whole.get(i)).as("byte " + i + ", beyond the buffer").isEqualTo((byte) 0x5E);
            }
        }
    }

    /** 40 bytes 1..40 each, as the remaining part of buffers of every kind, behind a guard byte. */
    private static ByteBuffer[] sources() {
        ByteBuffer heap = filled(ByteBuffer.allocate(64));
        ByteBuffer direct = filled(ByteBuffer.allocateDirect(64));
        ByteBuffer heapSlice = filled(ByteBuffer.allocate(80).position(7).slice());
        ByteBuffer directSlice = filled(ByteBuffer.allocateDirect(80).position(9).slice());
        return new ByteBuffer[] {heap, direct, heapSlice, directSlice, filled(ByteBuffer.allocate(64)).asReadOnlyBuffer(),
                filled(ByteBuffer.allocateDirect(64)).asReadOnlyBuffer()};
    }

    private static ByteBuffer filled(ByteBuffer buffer) {
        buffer.put((byte) 77);
        for (int i = 1; i <= 40; i++) {
            buffer.put((byte) i);
        }
        buffer.put((byte) 99);
        return buffer.position(1).limit(41);
    }

    private static ByteBuffer[] destinations(int length) {
        return new ByteBuffer[] {guarded(ByteBuffer.allocate(64), length),
                guarded(ByteBuffer.allocateDirect(64), length),
                guarded(ByteBuffer.allocate(90).position(5).slice(), length),
                guarded(ByteBuffer.allocateDirect(90).position(11).slice(), length)};
    }

    private static ByteBuffer guarded(ByteBuffer buffer, int length) {
        buffer.put(0, (byte) 77).put(1 + length, (byte) 88);
        return buffer.position(1).limit(1 + length);
    }
}
