package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.IpcNames;

/**
 * A buffer whose FFM {@code Arena} was closed (JDK 22+; {@code .ci/run} runs this module on the newest JDK installed)
 * is refused by send and receive before the kernel sees its address, and the queue is left as it was. Through a raw
 * address, a receive wrote the message into freed memory and lost it. The FFM types are reached by reflection, as
 * the tests compile for Java 17.
 */
class MessageQueueArenaTest {
    private final String name = IpcNames.unique("t-mq-arena");
    private MessageQueue queue;

    @BeforeEach
    void createQueue() throws IOException {
        assumeTrue(Runtime.version().feature() >= 22, "arenas exist from JDK 22; .ci/run runs this on the newest JDK");
        queue = MessageQueue.create(name, QueueAttributes.of(4, 64));
    }

    @AfterEach
    void removeQueue() throws IOException {
        if (queue != null) {
            queue.close();
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseAClosedArenasBufferAndLeaveTheMessageInTheQueue() throws Exception {
        ByteBuffer closed = closedArenaBuffer(64);
        queue.send(ByteBuffer.wrap(new byte[] {7, 8, 9}), 1);

        assertThatThrownBy(() -> queue.receive(closed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> queue.receive(closed, Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class);
        assertThat(queue.state().currentMessages()).as("the message was not taken").isEqualTo(1);
        assertThatThrownBy(() -> queue.send(closed.limit(3), 1)).isInstanceOf(IllegalStateException.class);
        assertThat(queue.state().currentMessages()).as("nothing was sent").isEqualTo(1);

        ByteBuffer into = ByteBuffer.allocateDirect(64);
        assertThat(queue.receive(into)).isEqualTo(3);
        assertThat(into.get(0)).isEqualTo((byte) 7);
    }

    /** {@code Arena.ofShared().allocate(bytes).asByteBuffer()}, the arena closed. */
    private static ByteBuffer closedArenaBuffer(long bytes) throws ReflectiveOperationException {
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Object arena = arenaClass.getMethod("ofShared").invoke(null);
        Object segment = arenaClass.getMethod("allocate", long.class).invoke(arena, bytes);
        ByteBuffer buffer = (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer")
                .invoke(segment);
        arenaClass.getMethod("close").invoke(arena);
        return buffer;
    }
}
