package io.github.ipcatlas.mqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.Access;
import io.github.ipcatlas.mqueue.MessageQueue;
import io.github.ipcatlas.mqueue.QueueAttributes;

/**
 * {@code mq send --create}'s clean-up for failures that no check can foresee (a peer fills the new queue first, the
 * kernel refuses): the queue this command created goes, a queue that was there stays.
 */
class MqSendTest {
    private static final QueueAttributes SMALL = QueueAttributes.of(2, 16);
    private final String name = IpcNames.unique("t-mq-send");

    @AfterEach
    void unlink() throws IOException {
        MessageQueue.unlinkIfExists(name);
    }

    @Test
    void shouldUnlinkTheQueueItCreatedWhenTheSendFails() throws IOException {
        IOException failure = new IOException("mq_send failed after the queue was created");

        assertThatThrownBy(() -> MqCommand.Send.withQueue(name, SMALL, 1, queue -> {
            assertThat(queue.state().maxMessageSize()).isEqualTo(16); // created with the attributes asked for
            throw failure;
        })).isSameAs(failure);
        assertThatThrownBy(() -> MessageQueue.open(name, Access.READ_ONLY)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldKeepAQueueThatExistedWhenTheSendFails() throws IOException {
        try (MessageQueue existing = MessageQueue.create(name, SMALL)) {
            existing.send(ByteBuffer.wrap(new byte[] {1}), 0);

            assertThatThrownBy(() -> MqCommand.Send.withQueue(name, SMALL, 1, queue -> {
                throw new IOException("refused");
            })).hasMessage("refused");
            assertThat(existing.state().currentMessages()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseATooLargeMessageBeforeCreatingTheQueue() {
        assertThatThrownBy(() -> MqCommand.Send.withQueue(name, SMALL, 17, queue -> {
            throw new AssertionError("the action must not run");
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message of 17 bytes")
                .hasMessageContaining("maxMessageSize 16").hasMessageContaining("nothing was created");
        assertThatThrownBy(() -> MessageQueue.open(name, Access.READ_ONLY)).isInstanceOf(NoSuchFileException.class);
    }
}
