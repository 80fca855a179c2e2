package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.IpcNames;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** mq_notify with a signal: it works, once, and the JVM's own signal handling is the only safe receiver. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageQueueNotifyTest {
    private static final int SIGUSR1 = 10;
    private final String name = IpcNames.unique("t-mq-notify");

    @AfterEach
    void unlink() throws IOException {
        MessageQueue.unlinkIfExists(name);
    }

    @Test
    void shouldRaiseTheSignalOnceWhenAMessageArrivesOnTheEmptyQueue() throws Exception {
        CountDownLatch raised = new CountDownLatch(1);
        SignalHandler previous = Signal.handle(new Signal("USR1"), signal -> raised.countDown());
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(4, 16))) {
            queue.notifyBySignal(SIGUSR1);

            queue.send(ByteBuffer.wrap(new byte[] {1}), 0);

            assertThat(raised.await(10, TimeUnit.SECONDS)).as("SIGUSR1 delivered").isTrue();
            // one-shot: the registration is gone, so registering again succeeds instead of EBUSY
            queue.notifyBySignal(SIGUSR1);
            queue.cancelNotification();
        } finally {
            Signal.handle(new Signal("USR1"), previous);
        }
    }

    @Test
    void shouldAllowOneRegistrationPerQueue() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(4, 16));
             MessageQueue other = MessageQueue.open(name, Access.READ_ONLY)) {
            queue.notifyBySignal(SIGUSR1);
            try {
                assertThatThrownBy(() -> other.notifyBySignal(SIGUSR1)).isInstanceOf(ErrnoException.class)
                        .hasMessageContaining("EBUSY").hasMessageContaining("only one process may be registered");
            } finally {
                queue.cancelNotification();
            }
            assertThatThrownBy(() -> queue.notifyBySignal(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("signal number 0 is outside 1..64");
        }
    }
}
