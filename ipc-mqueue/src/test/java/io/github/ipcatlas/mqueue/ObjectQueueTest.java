package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.IpcNames;

class ObjectQueueTest {
    /** A message type, as an application would define it. */
    record Order(String item, int quantity) implements Serializable {
    }

    /** A class the receiving side never agreed to instantiate. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final List<String> names = new ArrayList<>();

    @AfterEach
    void unlink() throws IOException {
        for (String name : names) {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldPutAndGetStringsInOrder() throws IOException {
        try (ObjectQueue<String> queue = queue(Codec.utf8(), 256)) {
            queue.put("first");
            queue.put("zweite — ünïcode");

            assertThat(queue.get()).isEqualTo("first");
            assertThat(queue.get(Duration.ofSeconds(5))).contains("zweite — ünïcode");
            assertThat(queue.get(Duration.ofMillis(20))).isEmpty();
        }
    }

    @Test
    void shouldPutAndGetByteArraysAndHonourPriorities() throws IOException {
        try (ObjectQueue<byte[]> queue = queue(Codec.bytes(), 64)) {
            queue.put(new byte[] {1}, 0);
            queue.put(new byte[] {2, 2}, 9);

            assertThat(queue.get()).containsExactly(2, 2);
            assertThat(queue.get()).containsExactly(1);
        }
    }

    @Test
    void shouldCarryAllowedRecordsThroughSerialization() throws IOException {
        try (ObjectQueue<Order> queue = queue(Codec.serializable(Order.class, Set.of()), 1024)) {
            queue.put(new Order("tea", 3));

            assertThat(queue.get()).isEqualTo(new Order("tea", 3));
        }
    }

    @Test
    void shouldRefuseToDeserialiseAClassOutsideTheAllowList() throws IOException {
        String name = IpcNames.unique("t-objq");
        names.add(name);
        try (MessageQueue raw = MessageQueue.create(name, QueueAttributes.of(2, 1024))) {
            // a hostile or confused sender puts a Gadget where Orders are expected
            raw.send(ByteBuffer.wrap(Codec.serializable(Gadget.class, Set.of()).encode(new Gadget())), 0);
            ObjectQueue<Order> orders = new ObjectQueue<>(raw, Codec.serializable(Order.class, Set.of()));

            assertThatThrownBy(orders::get).isInstanceOf(InvalidClassException.class)
                    .hasMessageContaining("refused by the allow-list").hasMessageContaining("Gadget");
        }
    }

    @Test
    void shouldRefuseAnObjectLargerThanAMessageNamingBothSizes() throws IOException {
        try (ObjectQueue<String> queue = queue(Codec.utf8(), 8)) {
            assertThatThrownBy(() -> queue.put("123456789")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("String encodes to 9 bytes").hasMessageContaining("at most 8 bytes per message");
            assertThat(queue.queue().state().currentMessages()).isZero();
        }
    }

    private <T> ObjectQueue<T> queue(Codec<T> codec, int size) throws IOException {
        String name = IpcNames.unique("t-objq");
        names.add(name);
        return new ObjectQueue<>(MessageQueue.create(name, QueueAttributes.of(4, size)), codec);
    }
}
