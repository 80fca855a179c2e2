package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

/**
 * A python3 peer that knows nothing but {@link RingLayout}'s diagram ({@code mmap} + {@code struct}) reads the
 * records our producer wrote and writes records our consumer reads — the layout is a format, not a Java secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShmRingInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** read: consume every committed record, print each payload, commit head. write TEXT…: one record per TEXT. */
    private static final String PYTHON = String.join("\n",
            "import mmap, struct, sys",
            "MAGIC, TAIL, HEAD, DATA = 0x32474E4952435049, 128, 256, 640",
            "with open('/dev/shm/' + sys.argv[1], 'r+b') as f:",
            "    m = mmap.mmap(f.fileno(), 0)",
            "    magic, cap = struct.unpack_from('<QQ', m, 0)",
            "    assert magic == MAGIC, 'not a ring'",
            "    if sys.argv[2] == 'read':",
            "        head = struct.unpack_from('<Q', m, HEAD)[0]",
            "        while True:",
            "            at = DATA + (head & (cap - 1))",
            "            length, kind = struct.unpack_from('<ii', m, at)",
            "            if length == 0:",
            "                break",
            "            if kind == 1:",
            "                print(m[at + 8:at + length].decode(), flush=True)",
            "            head += (length + 7) & ~7",
            "        struct.pack_into('<Q', m, HEAD, head)  # the commit: the producer may reuse the space",
            "    else:",
            "        tail = struct.unpack_from('<Q', m, TAIL)[0]",
            "        for text in sys.argv[3:]:",
            "            payload = text.encode()",
            "            length = 8 + len(payload)",
            "            size = (length + 7) & ~7",
            "            head = struct.unpack_from('<Q', m, HEAD)[0]",
            "            index = tail & (cap - 1)",
            "            if cap - index < size:  # never wrap a record: pad to the end",
            "                struct.pack_into('<q', m, DATA, 0)",
            "                struct.pack_into('<i', m, DATA + index + 4, -1)",
            "                struct.pack_into('<i', m, DATA + index, cap - index)",
            "                tail += cap - index",
            "                index = 0",
            "            assert tail + size + 8 - head <= cap, 'ring full'",
            "            m[DATA + index + 8:DATA + index + 8 + len(payload)] = payload",
            "            struct.pack_into('<q', m, DATA + ((tail + size) & (cap - 1)), 0)  # the next header: nothing yet",
            "            struct.pack_into('<i', m, DATA + index + 4, 1)",
            "            struct.pack_into('<i', m, DATA + index, length)  # last: the commit",
            "            tail += size",
            "        struct.pack_into('<Q', m, TAIL, tail)",
            "    m.close()");

    private final String name = IpcNames.unique("t-ring-py");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldExchangeRecordsWithAPythonPeerThatKnowsOnlyTheLayout() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(256))) {
            ShmRing.initialize(segment.memory(), 256);
            RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            List<String> expected = new ArrayList<>();
            for (int round = 0; round < 6; round++) { // 256 bytes: several rounds wrap the ring
                for (String text : new String[] {"java says " + round, "and again, a longer line " + round}) {
                    assertThat(producer.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), DEADLINE)).isTrue();
                    expected.add(text);
                }
                assertThat(python("read")).isEqualTo(expected);
                expected.clear();
            }

            python("write", "hello from python", "second", "third, after which the ring has wrapped more than once");
            RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            List<String> received = new ArrayList<>();
            ByteBuffer into = ByteBuffer.allocate(128);
            for (int length; (length = consumer.receive(into.clear(), Duration.ofMillis(50))) >= 0; ) {
                received.add(new String(into.array(), 0, length, StandardCharsets.UTF_8));
            }
            assertThat(received).containsExactly("hello from python", "second",
                    "third, after which the ring has wrapped more than once");
        }
    }

    private List<String> python(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", PYTHON, name.substring(1)));
        command.addAll(List.of(args));
        try (ChildProcess python = ChildProcess.builder(command).start()) {
            List<String> lines = python.remainingLines(DEADLINE);
            assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            return lines;
        }
    }
}
