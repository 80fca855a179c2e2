package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.peers.QueuePeers;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessageQueueCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final List<String> names = new ArrayList<>();

    @AfterEach
    void unlink() throws IOException {
        for (String name : names) {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldAnswerRequestsFromAnotherJvmKeepingPriorities() throws IOException {
        String request = name();
        String reply = name();
        try (MessageQueue out = MessageQueue.create(request, QueueAttributes.of(8, 64));
             MessageQueue in = MessageQueue.create(reply, QueueAttributes.of(8, 64));
             ChildProcess peer = peer("echo", request, reply, "3")) {
            peer.awaitLine("ready", DEADLINE);
            Delivery delivery = new Delivery();
            List<String> answers = new ArrayList<>();
            for (String text : new String[] {"alpha", "beta", "gamma"}) {
                out.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), text.length());
                ByteBuffer buffer = ByteBuffer.allocate(64);
                assertThat(in.receive(buffer, DEADLINE, delivery)).isPositive();
                answers.add(StandardCharsets.UTF_8.decode(buffer.flip()) + "@" + delivery.priority());
            }
            assertThat(answers).containsExactly("ALPHA@5", "BETA@4", "GAMMA@5");
            assertThat(peer.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingFromSeveralProducerJvms() throws IOException {
        String name = name();
        int producers = 3;
        int each = 300;
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(10, 32))) {
            List<ChildProcess> children = new ArrayList<>();
            try {
                for (int p = 0; p < producers; p++) {
                    children.add(peer("produce", name, "p" + p, String.valueOf(each)));
                }
                Set<String> seen = new HashSet<>();
                Map<String, Integer> next = new HashMap<>();
                ByteBuffer buffer = ByteBuffer.allocateDirect(32);
                for (int i = 0; i < producers * each; i++) {
                    assertThat(queue.receive(buffer.clear(), DEADLINE)).as("message %d arrived", i).isPositive();
                    String message = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
                    assertThat(seen.add(message)).as("duplicate %s", message).isTrue();
                    String[] parts = message.split(":");
                    int expected = next.getOrDefault(parts[0], 0);
                    assertThat(Integer.parseInt(parts[1])).as("order of %s", parts[0]).isEqualTo(expected);
                    next.put(parts[0], expected + 1);
                }
                assertThat(queue.tryReceive(buffer.clear())).isEqualTo(-1);
                for (ChildProcess child : children) {
                    assertThat(child.awaitExit(DEADLINE)).isZero();
                }
            } finally {
                children.forEach(ChildProcess::close);
            }
        }
    }

    @Test
    void shouldOutliveTheProcessThatCreatedItUntilUnlinked() throws IOException {
        String name = name();
        try (ChildProcess creator = peer("create-and-leave", name, "left behind")) {
            creator.awaitLine("ready", DEADLINE);
            assertThat(creator.awaitExit(DEADLINE)).isZero();
        }
        try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
            ByteBuffer buffer = ByteBuffer.allocate(128);
            Delivery delivery = new Delivery();
            queue.receive(buffer, delivery);
            assertThat(StandardCharsets.UTF_8.decode(buffer.flip()).toString()).isEqualTo("left behind");
            assertThat(delivery.priority()).isEqualTo(9);
        }
        MessageQueue.unlink(name);
    }

    @Test
    void shouldTimeOutCleanlyWhenTheProducerIsKilled() throws IOException {
        String name = name();
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(10, 32));
             ChildProcess producer = peer("produce", name, "doomed", "-1")) {
            producer.awaitLine("ready", DEADLINE);
            ByteBuffer buffer = ByteBuffer.allocateDirect(32);
            assertThat(queue.receive(buffer.clear(), DEADLINE)).isPositive(); // mid-stream

            producer.kill(9);
            assertThat(producer.awaitExit(DEADLINE)).isEqualTo(128 + 9);

            int drained = 0;
            while (queue.receive(buffer.clear(), Duration.ofMillis(200)) > 0) {
                drained++;
            }
            assertThat(drained).as("at most a full queue was left").isLessThanOrEqualTo(10);
            assertThat(queue.receive(buffer.clear(), Duration.ofMillis(50))).isEqualTo(-1);
        }
    }

    @Test
    void shouldKeepQueueNamesApartThatDifferOnlyOutsideAsciiInAJvmWithAnAsciiCharsetAndTheCLocale() throws IOException {
        String base = name();
        String first = base + "-caf\u00e9";
        String second = base + "-caf\u00fc";
        names.add(first);
        names.add(second);
        // in this JVM the default and file-name charsets are ASCII: both names would be "caf?" if passed in them
        List<String> command = ChildJvm.builder(QueuePeers.class).jvmOptions("-Dfile.encoding=US-ASCII")
                .args("two-names", base).command();
        try (ChildProcess child = ChildProcess.builder(command).environment("LC_ALL", "C").start()) {
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).as("two queues, each with its own message").containsExactly("distinct");
        }
    }

    private String name() {
        String name = IpcNames.unique("t-mqx");
        names.add(name);
        return name;
    }

    private static ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(QueuePeers.class).args(args).quickStart().start();
    }
}
