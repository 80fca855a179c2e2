package io.github.ipcatlas.comparison.bench.mechanisms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** The mailbox's protocol, and what it does with memory another process scribbled on. */
class MailboxTest {
    private final ByteBuffer memory = ByteBuffer.allocateDirect((int) Mailbox.bytes(16)).order(ByteOrder.nativeOrder());
    private final Mailbox sender = new Mailbox(memory.duplicate(), 16);
    private final Mailbox receiver = new Mailbox(memory.duplicate(), 16);
    private final Mailbox.PeerCheck alive = () -> { };

    @Test
    void shouldCarryMessagesOneAtATimeAndTheEnd() throws IOException {
        for (long i = 0; i < 3; i++) {
            sender.send(ByteBuffer.allocate(8).putLong(0, i), alive);
            ByteBuffer into = ByteBuffer.allocate(8);
            receiver.receive(into, alive);
            assertThat(into.getLong(0)).isEqualTo(i);
        }
        sender.end(alive);
        assertThatThrownBy(() -> receiver.receive(ByteBuffer.allocate(8), alive)).isInstanceOf(EOFException.class);
    }

    @Test
    void shouldRefuseAMessageNumberThatSkipsAheadOrALengthOtherThanExpected() throws IOException {
        memory.putLong(0, 5); // "sent": message 5, where 1 was next
        assertThatThrownBy(() -> receiver.receive(ByteBuffer.allocate(8), alive)).isInstanceOf(IOException.class)
                .hasMessageContaining("message 5 where 0 or 1 was expected");
        memory.putLong(0, 1).putInt(128, 1_000_000);
        assertThatThrownBy(() -> receiver.receive(ByteBuffer.allocate(8), alive)).isInstanceOf(IOException.class)
                .hasMessageContaining("a message of 1000000 bytes where 8 were expected");
    }

    @Test
    void shouldRefuseATakenNumberThatNoReceiverCouldHaveWritten() throws IOException {
        sender.send(ByteBuffer.allocate(8), alive);
        memory.putLong(64, 77); // "taken": message 77, where 0 or 1 was expected
        assertThatThrownBy(() -> sender.send(ByteBuffer.allocate(8), alive)).isInstanceOf(IOException.class)
                .hasMessageContaining("message 77 was taken where 0 or 1 was expected");
    }

    @Test
    void shouldEndAWaitWhenThePeerCheckFailsAndRefuseAnOversizedMessage() {
        Mailbox.PeerCheck gone = () -> {
            throw new EOFException("gone");
        };
        assertThatThrownBy(() -> receiver.receive(ByteBuffer.allocate(8), gone)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> sender.send(ByteBuffer.allocate(17), alive)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17 bytes");
        assertThatThrownBy(() -> new Mailbox(ByteBuffer.allocateDirect(100), 16)).hasMessageContaining("needs 152 bytes");
    }
}
