package io.github.ipcatlas.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.ipcatlas.core.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both bindings of {@code read}/{@code write} on a real pipe: each that this JDK has (FFM from 22, jnr-ffi always). */
class BufferIoTest {
    private static final boolean FFM_JDK = Runtime.version().feature() >= 22;

    private final int[] pipe = new int[2];

    static List<BufferIo> bindings() {
        List<BufferIo> bindings = new ArrayList<>(List.of(BufferIo.jnr()));
        if (FFM_JDK) {
            bindings.add(BufferIo.ffm());
        }
        return bindings;
    }

    @BeforeEach
    void openPipe() {
        assertThat(Native.libc().pipe2(pipe, LinuxConstants.O_CLOEXEC | LinuxConstants.O_NONBLOCK)).isZero();
    }

    @AfterEach
    void closePipe() {
        Native.libc().close(pipe[0]);
        Native.libc().close(pipe[1]);
    }

    @Test
    void shouldPickFfmFromJdk22AndJnrBefore() {
        assertThat(BufferIo.create().binding()).isEqualTo(FFM_JDK ? "ffm" : "jnr");
        assertThat(BufferIo.usesFfm()).isEqualTo(FFM_JDK);
        if (!FFM_JDK) {
            assertThatThrownBy(BufferIo::ffm).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Java " + Runtime.version());
        }
    }

    @Test
    void shouldPickJnrWhenThePropertySaysSoAndIgnoreAValueItCannotHonour() {
        String before = System.getProperty(BufferIo.BINDING_PROPERTY);
        try {
            System.setProperty(BufferIo.BINDING_PROPERTY, "jnr");
            assertThat(BufferIo.create().binding()).isEqualTo("jnr");
            System.setProperty(BufferIo.BINDING_PROPERTY, "jni");
            assertThat(BufferIo.create().binding()).as("an unknown value: the default").isEqualTo(FFM_JDK ? "ffm" : "jnr");
            System.setProperty(BufferIo.BINDING_PROPERTY, "ffm");
            assertThat(BufferIo.create().binding()).as("ffm where it cannot be: jnr").isEqualTo(FFM_JDK ? "ffm" : "jnr");
        } finally {
            if (before == null) {
                System.clearProperty(BufferIo.BINDING_PROPERTY);
            } else {
                System.setProperty(BufferIo.BINDING_PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void shouldWriteAndReadAtTheBufferPositionLeavingThePositionAlone(BufferIo io) {
        ByteBuffer out = ByteBuffer.allocateDirect(16).put("..hello".getBytes(StandardCharsets.US_ASCII)).flip();
        out.position(2);
        assertThat(io.write(pipe[1], out, 5)).isEqualTo(5);
        assertThat(out.position()).isEqualTo(2);

        ByteBuffer in = ByteBuffer.allocateDirect(16).position(4);
        assertThat(io.read(pipe[0], in, 12)).isEqualTo(5);
        byte[] got = new byte[5];
        in.get(4, got);
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void shouldReportTheErrnoOfAFailedCall(BufferIo io) {
        ByteBuffer in = ByteBuffer.allocateDirect(8);
        assertThat(io.read(pipe[0], in, 8)).isEqualTo(-1);
        assertThat(io.errno()).isEqualTo(Errors.EAGAIN); // empty, non-blocking
        assertThat(io.write(-1, in, 8)).isEqualTo(-1);
        assertThat(io.errno()).isEqualTo(Errors.EBADF);
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void shouldRefuseHeapReadOnlyAndShortBuffersBeforeTheCall(BufferIo io) {
        assertThatThrownBy(() -> io.read(pipe[0], ByteBuffer.allocate(8), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap buffer");
        assertThatThrownBy(() -> io.read(pipe[0], ByteBuffer.allocateDirect(8).asReadOnlyBuffer(), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> io.write(pipe[1], ByteBuffer.allocateDirect(8).position(4), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 bytes where the buffer has 4");
        assertThatThrownBy(() -> io.write(pipe[1], ByteBuffer.allocateDirect(8), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 bytes");
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void shouldWriteFromAReadOnlyBuffer(BufferIo io) {
        ByteBuffer out = ByteBuffer.allocateDirect(4).putInt(0, 42).asReadOnlyBuffer();
        assertThat(io.write(pipe[1], out, 4)).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("bindings")
    void shouldAllocateNothingPerCallOnceCompiled(BufferIo io) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 20 && fewest >= 100_000; round++) { // the first rounds run before the JIT is done
            long before = threads.getCurrentThreadAllocatedBytes();
            exchange(io, out, in, 100_000);
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(fewest).as("bytes allocated by 100,000 writes and reads through " + io + ", fewest of 20 rounds")
                .isLessThan(100_000);
    }

    @Test
    void shouldAllocateNothingPerCallWithJdkBuffersAfterArenaBuffersWereUsed() throws Exception {
        assumeTrue(FFM_JDK, "arenas exist from JDK 22; .ci/run runs this on the newest JDK");
        BufferIo io = BufferIo.ffm();
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Object arena = arenaClass.getMethod("ofShared").invoke(null);
        try {
            ByteBuffer arenaOut = (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment")
                    .getMethod("asByteBuffer").invoke(arenaClass.getMethod("allocate", long.class).invoke(arena, 64L));
            exchange(io, arenaOut, ByteBuffer.allocateDirect(64), 50_000); // the code has seen an arena's buffer
        } finally {
            arenaClass.getMethod("close").invoke(arena);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 20 && fewest >= 100_000; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            exchange(io, out, in, 100_000);
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(fewest).as("bytes allocated by 100,000 writes and reads, fewest of 20 rounds").isLessThan(100_000);
    }

    private void exchange(BufferIo io, ByteBuffer out, ByteBuffer in, int times) {
        for (int i = 0; i < times; i++) {
            if (io.write(pipe[1], out, 64) != 64 || io.read(pipe[0], in, 64) != 64) {
                throw new AssertionError("errno " + io.errno());
            }
        }
    }
}
