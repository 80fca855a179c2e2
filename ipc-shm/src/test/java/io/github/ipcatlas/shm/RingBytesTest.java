package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.access.ChunkWords;

/**
 * The one check between a ring offset and raw memory: on JDK 17–21 {@link RingBytes} reads and writes words by address,
 * so an offset outside the ring, or misaligned, must be refused before any access — on every JDK, with the same error.
 */
class RingBytesTest {
    private static final long CAPACITY = 1024;
    private final String name = IpcNames.unique("t-ringbytes");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldUseWordsByAddressOnJdk17To21Only() {
        assertThat(ChunkWords.ENABLED).isEqualTo(Runtime.version().feature() < 22);
    }

    @Test
    void shouldReadBackEveryKindOfWordWrittenAtTheRingsFirstAndLastWord() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY))) {
            RingBytes bytes = new RingBytes(segment.memory(), CAPACITY);
            int lastLong = (int) RingLayout.segmentBytes(CAPACITY) - Long.BYTES;
            bytes.putLong(0, 0x0102030405060708L);
            bytes.setLongRelease(lastLong, -2L);
            assertThat(bytes.getLongAcquire(0)).isEqualTo(0x0102030405060708L);
            assertThat(bytes.getLongAcquire(lastLong)).isEqualTo(-2L);
            assertThat(segment.memory().getLong(lastLong)).as("the same memory seen through the mapping").isEqualTo(-2L);
            int lastInt = lastLong + Integer.BYTES;
            bytes.setIntVolatile(lastInt, 7);
            assertThat(bytes.compareAndSetInt(lastInt, 7, 9)).isTrue();
            assertThat(bytes.compareAndSetInt(lastInt, 7, 11)).isFalse();
            assertThat(bytes.getAndAddInt(lastInt, 1)).isEqualTo(9);
            bytes.setIntRelease(lastLong, 5);
            assertThat(bytes.getIntVolatile(lastInt)).isEqualTo(10);
            assertThat(bytes.getInt(lastLong)).isEqualTo(5);
        }
    }

    @Test
    void shouldRefuseWordsOutsideTheRingOrMisalignedBeforeTouchingMemory() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY))) {
            RingBytes bytes = new RingBytes(segment.memory(), CAPACITY);
            int end = (int) RingLayout.segmentBytes(CAPACITY);
            assertThatThrownBy(() -> bytes.putLong(end, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("8-byte word at " + end).hasMessageContaining("outside " + end + " bytes");
            assertThatThrownBy(() -> bytes.getLongAcquire(end - 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.setLongRelease(-8, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("word at -8");
            assertThatThrownBy(() -> bytes.setLongRelease(Integer.MIN_VALUE, 1))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.getLongAcquire(12)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("misaligned");
            assertThatThrownBy(() -> bytes.compareAndSetInt(end, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.getAndAddInt(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(segment.memory().getLong(0)).as("nothing was written").isZero();
        }
    }

    @Test
    void shouldSayTheRingIsUnmappedOnceItsMappingClosed() throws IOException {
        RingBytes bytes;
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY))) {
            bytes = new RingBytes(segment.memory(), CAPACITY);
        }
        assertThatThrownBy(bytes::ensureOpen).isInstanceOf(IllegalStateException.class).hasMessageContaining("the mapping is closed");
    }
}
