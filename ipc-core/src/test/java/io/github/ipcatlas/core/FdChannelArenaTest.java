package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Buffers whose memory belongs to an FFM {@code Arena} (JDK 22+; {@code .ci/run} runs this module on the newest JDK
 * installed): a closed arena's buffer is refused before the kernel sees its address, and an arena cannot be closed
 * while a read into its memory is in the kernel. Through a raw address both were a use of freed memory. The FFM types
 * are reached by reflection, as the tests compile for Java 17.
 */
class FdChannelArenaTest {
    private FdChannel reader;
    private FdChannel writer;

    @BeforeEach
    void openPipe() throws IOException {
        assumeTrue(Runtime.version().feature() >= 22, "arenas exist from JDK 22; .ci/run runs this on the newest JDK");
        FdChannel[] pipe = TestPipes.open();
        reader = pipe[0];
        writer = pipe[1];
    }

    @AfterEach
    void closePipe() throws IOException {
        if (reader != null) {
            reader.close();
            writer.close();
        }
    }

    @Test
    void shouldRefuseTheBufferOfAClosedArenaInsteadOfUsingFreedMemory() throws Throwable {
        Arena arena = Arena.shared();
        ByteBuffer buffer = arena.buffer(64);
        arena.close();
        writer.write(ByteBuffer.wrap(new byte[64]));

        assertThatThrownBy(() -> reader.read(buffer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> reader.read(buffer, Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.write(buffer)).isInstanceOf(IllegalStateException.class);
        ByteBuffer heap = ByteBuffer.allocate(64);
        assertThat(reader.read(heap)).as("the bytes are still in the pipe, untouched").isEqualTo(64);
    }

    @Test
    void shouldRefuseABufferUsedBeforeItsArenaWasClosed() throws Throwable {
        Arena arena = Arena.shared();
        ByteBuffer buffer = arena.buffer(64);
        assertThat(writer.write(buffer)).isEqualTo(64); // used while open: the channel now knows this buffer
        arena.close();

        assertThatThrownBy(() -> reader.read(buffer.clear())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.write(buffer.clear())).isInstanceOf(IllegalStateException.class);
        assertThat(reader.read(ByteBuffer.allocate(128))).as("only the first write went through").isEqualTo(64);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepTheArenaOpenWhileAReadIntoItsMemoryIsInTheKernel() throws Throwable {
        Arena arena = Arena.shared();
        ByteBuffer buffer = arena.buffer(64);
        AtomicInteger tid = new AtomicInteger();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                tid.set(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                return reader.read(buffer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> tid.get() != 0
                && ProcFs.read(Path.of("/proc/self/task/" + tid.get() + "/wchan")).endsWith("pipe_read")); // anon_pipe_read from Linux 6.16

        assertThatThrownBy(arena::close).as("closing while the kernel may write into the memory")
                .isInstanceOf(IllegalStateException.class);
        writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        arena.close(); // the read returned: now it may go
    }

    @Test
    void shouldRefuseAConfinedArenasBufferOnAnotherThread() throws Throwable {
        Arena arena = Arena.confined();
        try {
            ByteBuffer buffer = arena.buffer(8);
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.write(buffer);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(write).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingCause().isInstanceOf(RuntimeException.class).withMessageContaining("thread");
        } finally {
            arena.close();
        }
    }

    /** {@code java.lang.foreign.Arena}, through reflection. */
    private record Arena(Object arena) {
        static Arena shared() throws ReflectiveOperationException {
            return new Arena(type().getMethod("ofShared").invoke(null));
        }

        static Arena confined() throws ReflectiveOperationException {
            return new Arena(type().getMethod("ofConfined").invoke(null));
        }

        ByteBuffer buffer(long bytes) throws ReflectiveOperationException {
            Object segment = type().getMethod("allocate", long.class).invoke(arena, bytes);
            return (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer")
                    .invoke(segment);
        }

        void close() throws Throwable {
            try {
                type().getMethod("close").invoke(arena);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static Class<?> type() throws ClassNotFoundException {
            return Class.forName("java.lang.foreign.Arena");
        }
    }
}
