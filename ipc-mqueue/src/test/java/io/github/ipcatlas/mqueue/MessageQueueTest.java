package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.ProcFs;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageQueueTest {
    private static final QueueAttributes SMALL = QueueAttributes.of(4, 64);
    private final List<String> names = new ArrayList<>();

    @AfterEach
    void unlinkEverything() throws IOException {
        for (String name : names) {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldDeliverTheHighestPriorityFirstAndFifoWithinAPriority() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), SMALL)) {
            send(queue, "low", 1);
            send(queue, "urgent-1", 5);
            send(queue, "urgent-2", 5);
            send(queue, "lowest", 0);

            Delivery delivery = new Delivery();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                received.add(receive(queue, delivery) + "@" + delivery.priority());
            }
            assertThat(received).containsExactly("urgent-1@5", "urgent-2@5", "low@1", "lowest@0");
        }
    }

    @Test
    void shouldKeepMessageBoundaries() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), SMALL)) {
            send(queue, "one", 0);
            send(queue, "two", 0);
            send(queue, "", 0);

            ByteBuffer buffer = ByteBuffer.allocateDirect(200); // room for a whole message after each receive
            assertThat(queue.receive(buffer)).isEqualTo(3);
            assertThat(queue.receive(buffer)).isEqualTo(3);
            assertThat(queue.receive(buffer)).isZero();
            assertThat(StandardCharsets.UTF_8.decode(buffer.flip()).toString()).isEqualTo("onetwo");
        }
    }

    @Test
    void shouldSayWouldBlockAsAResultOnFullAndEmptyQueues() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), QueueAttributes.of(2, 16))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(16);
            assertThat(queue.tryReceive(buffer)).isEqualTo(-1);
            assertThat(queue.trySend(ascii("a"), 0)).isTrue();
            assertThat(queue.trySend(ascii("b"), 0)).isTrue();
            assertThat(queue.trySend(ascii("c"), 0)).as("full").isFalse();
            assertThat(queue.state().currentMessages()).isEqualTo(2);
        }
    }

    @Test
    void shouldTimeOutOnAMonotonicDeadline() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), QueueAttributes.of(1, 16))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(16);
            Delivery delivery = new Delivery();
            assertThat(queue.receive(buffer, Duration.ofMillis(50), delivery)).isEqualTo(-1);
            assertThat(delivery.length()).isEqualTo(-1);

            queue.send(ascii("x"), 0);
            assertThat(queue.send(ascii("y"), 0, Duration.ofMillis(50))).as("stays full").isFalse();
        }
    }

    @Test
    void shouldWakeATimedReceiverWhenAMessageArrives() throws Exception {
        try (MessageQueue queue = MessageQueue.create(name(), SMALL)) {
            CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.receive(ByteBuffer.allocateDirect(64), Duration.ofSeconds(30));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            send(queue, "late", 2);

            assertThat(receiver.get(30, TimeUnit.SECONDS)).isEqualTo(4);
        }
    }

    @Test
    void shouldFailBlockingCallsInNonBlockingModeWithAHint() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), QueueAttributes.of(1, 16))) {
            queue.setNonBlocking(true);
            assertThat(queue.state().nonBlocking()).isTrue();

            assertThatThrownBy(() -> queue.receive(ByteBuffer.allocateDirect(16)))
                    .isInstanceOf(ErrnoException.class).hasMessageContaining("EAGAIN")
                    .hasMessageContaining("non-blocking mode; use trySend/tryReceive");
            assertThat(queue.tryReceive(ByteBuffer.allocateDirect(16))).isEqualTo(-1);

            queue.setNonBlocking(false);
            assertThat(queue.state().nonBlocking()).isFalse();
        }
    }

    @Test
    void shouldRefuseAMessageTooBigAndABufferTooSmallBeforeAnyNativeCall() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), QueueAttributes.of(2, 8))) {
            assertThatThrownBy(() -> queue.send(ByteBuffer.allocate(9), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("message of 9 bytes is larger than queue").hasMessageContaining("maxMessageSize 8");
            assertThatThrownBy(() -> queue.receive(ByteBuffer.allocate(7))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("receive buffer has 7 bytes of room").hasMessageContaining("EMSGSIZE");
            assertThat(queue.state().currentMessages()).isZero();
        }
    }

    @Test
    void shouldRefuseBadPriorities() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), SMALL)) {
            assertThatThrownBy(() -> queue.send(ascii("x"), -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("priority -1 is outside 0..32767");
            assertThatThrownBy(() -> queue.trySend(ascii("x"), 32768)).hasMessageContaining("32768");
            queue.send(ascii("top"), MessageQueue.MAX_PRIORITY);
            Delivery delivery = new Delivery();
            queue.receive(ByteBuffer.allocate(64), delivery);
            assertThat(delivery.priority()).isEqualTo(32767);
        }
    }

    @Test
    void shouldCarryHeapBuffersAsWellAsDirectOnes() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name(), SMALL)) {
            ByteBuffer message = ByteBuffer.wrap("..heap..".getBytes(StandardCharsets.US_ASCII), 2, 4);
            queue.send(message, 0);
            assertThat(message.hasRemaining()).isFalse();

            ByteBuffer buffer = ByteBuffer.allocate(80).position(8);
            assertThat(queue.receive(buffer)).isEqualTo(4);
            assertThat(new String(buffer.array(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("heap");
            assertThat(buffer.position()).isEqualTo(12);
        }
    }

    @Test
    void shouldMapExistingAndMissingQueuesToTheJdkTypes() throws IOException {
        String name = name();
        try (MessageQueue queue = MessageQueue.create(name, SMALL)) {
            assertThatThrownBy(() -> MessageQueue.create(name, SMALL)).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessage("mq_open(" + name + ") failed: EEXIST (File exists)");
            try (MessageQueue same = MessageQueue.openOrCreate(name, QueueAttributes.of(1, 1))) {
                assertThat(same.maxMessageSize()).as("an existing queue keeps its attributes").isEqualTo(64);
            }
        }
        String missing = name();
        assertThatThrownBy(() -> MessageQueue.open(missing, Access.READ_ONLY)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("mq_open(" + missing + ") failed: ENOENT");
        assertThatThrownBy(() -> MessageQueue.unlink(missing)).isInstanceOf(NoSuchFileException.class);
        assertThat(MessageQueue.unlinkIfExists(missing)).isFalse();
    }

    @Test
    void shouldRefuseInvalidNamesBeforeAnyNativeCall() {
        assertThatThrownBy(() -> MessageQueue.create("orders", SMALL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> MessageQueue.open("/a/b", Access.READ_ONLY)).hasMessageContaining("'/' only at the start");
        assertThatThrownBy(() -> MessageQueue.open("/" + "x".repeat(256), Access.READ_ONLY)).hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> MessageQueue.unlink("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageQueue.create(name(), SMALL, 01000, Access.READ_WRITE))
                .hasMessageContaining("mode 1000 (octal)");
        assertThatThrownBy(() -> QueueAttributes.of(0, 10)).hasMessageContaining("maxMessages 0");
        assertThatThrownBy(() -> QueueAttributes.of(1, 0)).hasMessageContaining("maxMessageSize 0");
    }

    @Test
    void shouldNameTheLimitAndHowToRaiseItBeforeCreating() throws IOException {
        MqueueLimits limits = MqueueLimits.read();

        assertThatThrownBy(() -> MessageQueue.create(name(), QueueAttributes.of(limits.messagesMax() + 1, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds fs.mqueue.msg_max = " + limits.messagesMax())
                .hasMessageContaining("sysctl -w fs.mqueue.msg_max=");
        assertThatThrownBy(() -> MessageQueue.create(name(), QueueAttributes.of(1, limits.messageSizeMax() + 1)))
                .hasMessageContaining("exceeds fs.mqueue.msgsize_max = " + limits.messageSizeMax());
    }

    /**
     * Under a lowered RLIMIT_MSGQUEUE, in a child: the user's own budget is not used up, nobody else is starved. The
     * child runs in a private IPC namespace too, so queues it leaves (killed at the deadline mid-loop, say) go with
     * the namespace instead of staying on the host.
     */
    @Test
    void shouldExplainRlimitMsgqueueWhenTheUsersBudgetRunsOut() throws IOException {
        long budget = 256 * 1024;
        String outcome = exhaust(List.of("unshare", "--user", "--map-root-user", "--ipc", "--",
                "prlimit", "--msgqueue=" + budget + ":" + budget, "--"), "budget");
        assertThat(outcome).startsWith("refused").contains("EMFILE").contains("RLIMIT_MSGQUEUE = " + budget)
                .contains("ulimit -q");
    }

    /**
     * In a private IPC namespace, whose queues_max no process outside it shares, inside a user namespace, where the
     * CAP_SYS_RESOURCE of the initial namespace that would lift the limit (root's) is not held: the refusal and its
     * message are what an ordinary user meets.
     */
    @Test
    void shouldExplainQueuesMaxWhenTheSystemHasNoRoomForAnotherQueue() throws IOException {
        String outcome = exhaust(List.of("unshare", "--user", "--map-root-user", "--ipc", "--"), "count");
        assertThat(outcome).startsWith("refused").contains("ENOSPC").contains("fs.mqueue.queues_max = ")
                .contains("sysctl -w fs.mqueue.queues_max=");
    }

    /** Runs the exhausting peer under {@code wrapper} and returns what it printed. */
    private static String exhaust(List<String> wrapper, String kind) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(io.github.ipcatlas.core.ChildJvm.builder(io.github.ipcatlas.mqueue.peers.QueuePeers.class)
                .args("exhaust", kind).quickStart().command());
        try (io.github.ipcatlas.core.ChildProcess child = io.github.ipcatlas.core.ChildProcess.builder(command).start()) {
            io.github.ipcatlas.core.ChildProcess.Outcome outcome = child.finish(java.time.Duration.ofSeconds(60));
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            assertThat(outcome.stdout()).hasSize(1);
            return outcome.stdout().get(0);
        }
    }

    @Test
    void shouldReadTheLimitsTheKernelReports() throws IOException {
        MqueueLimits limits = MqueueLimits.read();

        assertThat(limits.messagesMax()).isEqualTo(ProcFs.readLong(Path.of("/proc/sys/fs/mqueue/msg_max")));
        assertThat(limits.messageSizeMax()).isEqualTo(ProcFs.readLong(Path.of("/proc/sys/fs/mqueue/msgsize_max")));
        assertThat(limits.queuesMax()).isEqualTo(ProcFs.readLong(Path.of("/proc/sys/fs/mqueue/queues_max")));
        String limitsLine = ProcFs.read(Path.of("/proc/self/limits")).lines()
                .filter(l -> l.startsWith("Max msgqueue size")).findFirst().orElseThrow();
        String soft = limitsLine.substring("Max msgqueue size".length()).strip().split("\\s+")[0];
        assertThat(limits.userBytesLimit()).isEqualTo(soft.equals("unlimited") ? -1 : Long.parseLong(soft));
        assertThat(MqueueLimits.chargedBytes(QueueAttributes.of(10, 8192))).isEqualTo(82_880);
    }

    @Test
    void shouldKeepTheQueueAndItsMessagesAfterCloseUntilUnlinked() throws IOException {
        String name = name();
        try (MessageQueue queue = MessageQueue.create(name, SMALL)) {
            send(queue, "kept", 0);
        }
        try (MessageQueue again = MessageQueue.open(name, Access.READ_ONLY)) {
            assertThat(receive(again, new Delivery())).isEqualTo("kept");
        }
        MessageQueue.unlink(name);
        assertThatThrownBy(() -> MessageQueue.open(name, Access.READ_ONLY)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldCloseIdempotentlyAndRefuseUseAfterClose() throws IOException {
        MessageQueue queue = MessageQueue.create(name(), SMALL);
        queue.close();
        queue.close();

        assertThat(queue.isOpen()).isFalse();
        assertThatThrownBy(() -> queue.send(ascii("x"), 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(queue::state).isInstanceOf(ClosedChannelException.class);
        assertThat(queue.toString()).contains("closed");
    }

    @Test
    void shouldRefuseTheDirectionTheDescriptorWasNotOpenedFor() throws IOException {
        String name = name();
        try (MessageQueue queue = MessageQueue.create(name, SMALL, 0600, Access.WRITE_ONLY);
             MessageQueue reader = MessageQueue.open(name, Access.READ_ONLY)) {
            assertThatThrownBy(() -> queue.receive(ByteBuffer.allocate(64))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("WRITE_ONLY: it cannot receive");
            assertThatThrownBy(() -> reader.send(ascii("x"), 0)).hasMessageContaining("READ_ONLY: it cannot send");
        }
    }

    @Test
    void shouldWaitOnSeveralQueuesAtOnce() throws IOException {
        try (MessageQueue first = MessageQueue.create(name(), SMALL);
             MessageQueue second = MessageQueue.create(name(), QueueAttributes.of(1, 16))) {
            assertThat(MessageQueues.awaitReceivable(Duration.ofMillis(30), first, second)).isEmpty();
            assertThat(MessageQueues.awaitSendable(Duration.ZERO, first, second)).containsExactly(first, second);

            second.send(ascii("here"), 0);

            assertThat(MessageQueues.awaitReceivable(Duration.ofSeconds(10), first, second)).containsExactly(second);
            assertThat(MessageQueues.awaitSendable(Duration.ZERO, first, second)).containsExactly(first);
            assertThatThrownBy(() -> MessageQueues.awaitReceivable(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldCreateWithMode0600() throws IOException {
        String name = name();
        try (MessageQueue queue = MessageQueue.create(name, SMALL)) {
            assertThat(queue.access()).isEqualTo(Access.READ_WRITE);
            // /dev/mqueue is not always mounted, but a queue descriptor is a file descriptor: stat it through /proc
            Path descriptor = Path.of("/proc/self/fd/" + queue.fd());
            assertThat(java.nio.file.Files.readSymbolicLink(descriptor).toString()).isEqualTo(name);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(descriptor))).isEqualTo("rw-------");
        }
    }

    private String name() {
        String name = IpcNames.unique("t-mq");
        names.add(name);
        return name;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void send(MessageQueue queue, String text, int priority) throws IOException {
        queue.send(ascii(text), priority);
    }

    private static String receive(MessageQueue queue, Delivery delivery) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) queue.maxMessageSize());
        queue.receive(buffer, delivery);
        return StandardCharsets.US_ASCII.decode(buffer.flip()).toString();
    }
}
