package io.github.ipcatlas.sysv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysvSharedMemoryTest {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private final SysvFixture fixture = new SysvFixture();

    @AfterEach
    void cleanUp() throws IOException {
        fixture.removeAll();
    }

    @Test
    void shouldShareBytesBetweenTwoAttachmentsOfOneSegment() throws IOException {
        SysvKey key = fixture.key();
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(key, 100));
             SharedMemoryAttachment writer = segment.attach();
             SysvSharedMemory found = SysvSharedMemory.open(key);
             SharedMemoryAttachment reader = found.attach()) {
            assertThat(found.size()).isEqualTo(100);
            assertThat(reader.buffer().get(99)).as("a new segment is zeroed").isZero();
            writer.buffer().put(10, "shared".getBytes(UTF_8));
            byte[] seen = new byte[6];
            reader.buffer().get(10, seen);
            assertThat(new String(seen, UTF_8)).isEqualTo("shared");
        }
    }

    @Test
    void shouldCountAttachmentsAndReportSizeModeAndPids() throws IOException {
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(SysvKey.PRIVATE, 4096 + 1))) {
            assertThat(segment.status().attachments()).isZero();
            try (SharedMemoryAttachment one = segment.attach(); SharedMemoryAttachment two = segment.attachReadOnly()) {
                SharedMemoryStatus status = segment.status();
                assertThat(status.attachments()).isEqualTo(2);
                assertThat(status.size()).as("the size asked for, not whole pages").isEqualTo(4097);
                assertThat(status.permissions().mode()).isEqualTo(0600);
                assertThat(status.creatorPid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(status.lastAttach()).isNotNull();
                assertThat(status.removed()).isFalse();
                assertThat(one.size()).isEqualTo(4097);
                assertThat(two.isReadOnly()).isTrue();
            }
        }
    }

    @Test
    void shouldGiveOnlyReadOnlyViewsOfAReadOnlyAttachment() throws IOException {
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(SysvKey.PRIVATE, 64));
             SharedMemoryAttachment attachment = segment.attachReadOnly()) {
            ByteBuffer view = attachment.buffer();
            assertThat(view.isReadOnly()).isTrue();
            assertThatThrownBy(() -> view.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> view.duplicate().putLong(8, 1)).isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> LONGS.compareAndSet(attachment.buffer(8, 8), 0, 0L, 1L))
                    .isInstanceOf(ReadOnlyBufferException.class);
        }
    }

    @Test
    void shouldCompareAndSetAcrossAttachmentsAsAtomicWords() throws IOException {
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(SysvKey.PRIVATE, 64));
             SharedMemoryAttachment a = segment.attach(); SharedMemoryAttachment b = segment.attach()) {
            ByteBuffer viewA = a.buffer();
            ByteBuffer viewB = b.buffer();
            assertThat(LONGS.compareAndSet(viewA, 16, 0L, 42L)).isTrue();
            assertThat(LONGS.compareAndSet(viewB, 16, 0L, 7L)).as("b sees a's write").isFalse();
            assertThat((long) LONGS.getAndAdd(viewB, 16, 1L)).isEqualTo(42L);
            assertThat((long) LONGS.getVolatile(viewA, 16)).isEqualTo(43L);
        }
    }

    @Test
    void shouldKeepViewsWorkingAfterCloseAndDetachOnceTheyAreCollected() throws IOException {
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(SysvKey.PRIVATE, 64))) {
            SharedMemoryAttachment attachment = segment.attach();
            ByteBuffer view = attachment.buffer().slice(8, 8);
            attachment.close();
            attachment.close();
            assertThatThrownBy(attachment::buffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            view.putLong(0, 99);
            assertThat(view.getLong(0)).as("a view taken before close still reads and writes").isEqualTo(99);
            assertThat(segment.status().attachments()).as("still attached: a view is reachable").isEqualTo(1);

            view = null;
            attachment = null;
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                System.gc();
                return segment.status().attachments() == 0;
            });
        }
    }

    @Test
    void shouldRefuseViewsOutsideTheSegment() throws IOException {
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(SysvKey.PRIVATE, 64));
             SharedMemoryAttachment attachment = segment.attach()) {
            assertThatThrownBy(() -> attachment.buffer(60, 8)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("8 bytes at offset 60").hasMessageContaining("64 bytes");
            assertThatThrownBy(() -> attachment.buffer(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> attachment.buffer(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> attachment.buffer(Long.MAX_VALUE, 8)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(attachment.buffer(56, 8).capacity()).isEqualTo(8);
        }
    }

    @Test
    void shouldKeepARemovedSegmentUntilTheLastDetachAndFreeItsKeyAtOnce() throws IOException {
        SysvKey key = fixture.key();
        SysvSharedMemory segment = SysvSharedMemory.create(key, 32);
        try (SharedMemoryAttachment attachment = segment.attach()) {
            attachment.buffer().put(0, (byte) 7);
            segment.remove();
            SharedMemoryStatus status = segment.status();
            assertThat(status.removed()).isTrue();
            assertThat(status.key()).as("the key is released at once").isEqualTo(SysvKey.PRIVATE);
            assertThatThrownBy(() -> SysvSharedMemory.open(key)).isInstanceOf(NoSuchFileException.class);
            assertThat(attachment.buffer().get(0)).as("still mapped while attached").isEqualTo((byte) 7);
        }
    }

    @Test
    void shouldRefuseBadSizesModesAndUseAfterClose() throws IOException {
        assertThatThrownBy(() -> SysvSharedMemory.create(SysvKey.PRIVATE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 0");
        assertThatThrownBy(() -> SysvSharedMemory.create(SysvKey.PRIVATE, -5)).hasMessageContaining("-5");
        assertThatThrownBy(() -> SysvSharedMemory.create(SysvKey.PRIVATE, 8, -1)).hasMessageContaining("mode");
        assertThatThrownBy(() -> SysvSharedMemory.open(SysvKey.PRIVATE)).hasMessageContaining("IPC_PRIVATE");
        SysvKey key = fixture.key();
        try (SysvSharedMemory small = fixture.track(SysvSharedMemory.create(key, 16))) {
            assertThatThrownBy(() -> SysvSharedMemory.openOrCreate(key, 32, 0600)).isInstanceOf(IOException.class)
                    .hasMessageContaining("EINVAL").hasMessageContaining("larger than the existing segment");
            small.close();
            assertThatThrownBy(small::attach).isInstanceOf(ClosedChannelException.class);
        }
    }
}
