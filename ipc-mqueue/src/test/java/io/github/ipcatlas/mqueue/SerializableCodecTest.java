package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.peers.QueuePeers;

/** {@link Codec#serializable}: what a hostile or confused sender can make the receiving side do. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SerializableCodecTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** An element of an array inside a message. */
    record Tag(String name) implements Serializable {
    }

    /** A message type with arrays inside. */
    record Tags(Tag[] tags, String[] names, long[] counts) implements Serializable {
    }

    /** A chain as deep as the sender likes. */
    record Link(Link next) implements Serializable {
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
    void shouldRefuseAHugeArrayAnnouncedByATinyMessageBeforeAllocatingIt() throws IOException {
        byte[] hostile = announcing(new long[0], 0x7ffffff0);
        assertThat(hostile.length).isLessThan(64);
        Codec<Tags> codec = Codec.serializable(Tags.class, Set.of());

        // without a limit this is an OutOfMemoryError ("Requested array size exceeds VM limit")
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(hostile))).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("array length limit").hasMessageContaining("long[2147483632]")
                .hasMessageContaining(hostile.length + "-byte message");
    }

    @Test
    void shouldAnswerAMalformedMessageWithAnIOExceptionNeverAnUncheckedOne() throws IOException {
        Codec<Tags> codec = Codec.serializable(Tags.class, Set.of());
        for (int length : new int[] {0xfffffff0, -1, Integer.MIN_VALUE}) {
            byte[] negative = announcing(new int[0], length);
            // JDK 17 alone would throw NegativeArraySizeException out of decode
            assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(negative))).as("length %d", length)
                    .isInstanceOf(IOException.class);
        }
        java.util.Random random = new java.util.Random(20261127);
        byte[] valid = announcing(new int[0], 3);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = valid.clone();
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            try {
                codec.decode(ByteBuffer.wrap(mutated));
            } catch (IOException expected) {
                // refused or malformed: fine
            }
        }
    }

    @Test
    void shouldRefuseAHugeArrayReceivedFromARealQueue() throws IOException {
        String name = name();
        try (MessageQueue raw = MessageQueue.create(name, QueueAttributes.of(2, 1024));
             ObjectQueue<Tags> tags = new ObjectQueue<>(MessageQueue.open(name, Access.READ_ONLY),
                     Codec.serializable(Tags.class, Set.of()))) {
            raw.send(ByteBuffer.wrap(announcing(new String[0], Integer.MAX_VALUE - 8)), 0);

            assertThatThrownBy(tags::get).isInstanceOf(InvalidClassException.class)
                    .hasMessageContaining("array length limit").hasMessageContaining("java.lang.String[2147483639]");
        }
    }

    @Test
    void shouldNeverAllocateWhatAHostileMessageAnnouncesEvenWithASmallHeap() throws IOException {
        String name = name();
        try (MessageQueue raw = MessageQueue.create(name, QueueAttributes.of(2, 1024));
             ChildProcess receiver = ChildJvm.builder(QueuePeers.class).args("decode", name)
                     .jvmOptions("-Xmx32m").quickStart().start()) {
            receiver.awaitLine("ready", DEADLINE);
            // 1.5 GB that a 32 MB heap cannot hold: the receiver would die of OutOfMemoryError if it tried
            raw.send(ByteBuffer.wrap(announcing(new byte[0], 1_500_000_000)), 0);

            String outcome = receiver.nextLine(DEADLINE);
            assertThat(outcome).startsWith("threw java.io.InvalidClassException")
                    .contains("array length limit").contains("byte[1500000000]");
            assertThat(receiver.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldAcceptArraysAsLongAsTheMessageCanHold() throws IOException {
        long[] counts = new long[1000];
        Arrays.fill(counts, 7);
        Codec<Tags> codec = Codec.serializable(Tags.class, Set.of(Tag.class));
        Tags tags = new Tags(new Tag[] {new Tag("t")}, new String[] {"a", null, "c"}, counts);

        Tags back = codec.decode(ByteBuffer.wrap(codec.encode(tags)));

        assertThat(back.tags()).containsExactly(new Tag("t"));
        assertThat(back.names()).containsExactly("a", null, "c");
        assertThat(back.counts()).isEqualTo(counts);
    }

    @Test
    void shouldAllowAnArrayWhenItsElementTypeOrTheArrayClassIsListed() throws IOException {
        Tags tags = new Tags(new Tag[] {new Tag("x")}, new String[] {"y"}, new long[] {1});
        byte[] bytes = Codec.serializable(Tags.class, Set.of()).encode(tags);

        // listing Tag[].class used to be silently ignored (its name "[L...Tag;" broke the filter's pattern)
        assertThat(Codec.serializable(Tags.class, Set.of(Tag[].class)).decode(ByteBuffer.wrap(bytes)).tags())
                .containsExactly(new Tag("x"));
        assertThat(Codec.serializable(Tags.class, Set.of(Tag.class)).decode(ByteBuffer.wrap(bytes)).tags())
                .containsExactly(new Tag("x"));
        assertThatThrownBy(() -> Codec.serializable(Tags.class, Set.of()).decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("refused by the allow-list")
                .hasMessageContaining("array " + Tag.class.getName() + "[] is not allowed");
    }

    @Test
    void shouldRefuseAnArrayOfAClassOutsideTheAllowList() throws IOException {
        byte[] bytes = Codec.serializable(Gadget[].class, Set.of(Gadget.class)).encode(new Gadget[] {new Gadget()});

        assertThatThrownBy(() -> Codec.serializable(Tags.class, Set.of()).decode(ByteBuffer.wrap(bytes)))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("Gadget[] is not allowed");
    }

    @Test
    void shouldRefuseAStreamDeeperThanTheDepthLimitNamingIt() throws IOException {
        Link chain = null;
        for (int i = 0; i < 30; i++) {
            chain = new Link(chain);
        }
        Codec<Link> codec = Codec.serializable(Link.class, Set.of());
        byte[] bytes = codec.encode(chain);

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes))).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("depth limit").hasMessageContaining("20");
    }

    /** The serialized form of {@code emptyArray} with its length field rewritten to {@code length}. */
    private static byte[] announcing(Object emptyArray, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(emptyArray);
        }
        byte[] bytes = out.toByteArray();
        // an array is TC_ARRAY, its class descriptor, then the length as a big-endian int: the last 4 bytes here
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, length);
        return bytes;
    }

    private String name() {
        String name = IpcNames.unique("t-codec");
        names.add(name);
        return name;
    }
}
