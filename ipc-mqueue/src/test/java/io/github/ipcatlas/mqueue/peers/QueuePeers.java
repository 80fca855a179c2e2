package io.github.ipcatlas.mqueue.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.github.ipcatlas.mqueue.Access;
import io.github.ipcatlas.mqueue.Codec;
import io.github.ipcatlas.mqueue.MessageQueue;
import io.github.ipcatlas.mqueue.ObjectQueue;
import io.github.ipcatlas.mqueue.QueueAttributes;

/**
 * Child-JVM roles for the cross-process tests, chosen by the first argument:
 * <ul>
 *   <li>{@code echo REQUEST REPLY COUNT}: receives COUNT messages and replies to each in upper case, same priority;</li>
 *   <li>{@code produce QUEUE TAG COUNT}: sends {@code TAG:i} for i = 0..COUNT-1 (COUNT -1: until killed);</li>
 *   <li>{@code create-and-leave QUEUE TEXT}: creates the queue, sends TEXT, exits without unlinking;</li>
 *   <li>{@code decode QUEUE}: gets one object through {@code Codec.serializable} and prints {@code decoded VALUE}
 *       or {@code threw CLASS MESSAGE} (an {@code OutOfMemoryError} included);</li>
 *   <li>{@code exhaust budget|count}: creates queues — as large as the limits allow, or of one byte — until one is
 *       refused, then prints {@code refused MESSAGE} (or {@code created N}) and removes them all. Run it under a
 *       lowered {@code RLIMIT_MSGQUEUE} or in a private IPC namespace, where it starves nobody else.</li>
 *   <li>{@code two-names BASE}: creates queues BASE-café and BASE-cafü exclusively (named here: under
 *       {@code LC_ALL=C} the JVM would read them from its command line as {@code caf??}), one message in each, reads
 *       each back, and prints {@code distinct} if each kept its own (or {@code refused MESSAGE}); removes them.</li>
 * </ul>
 * Prints {@code ready} once its queues are open.
 */
public final class QueuePeers {
    private QueuePeers() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(args[1], args[2], Integer.parseInt(args[3]));
            case "produce" -> produce(args[1], args[2], Long.parseLong(args[3]));
            case "create-and-leave" -> createAndLeave(args[1], args[2]);
            case "decode" -> decode(args[1]);
            case "exhaust" -> exhaust(args[1].equals("budget"));
            case "two-names" -> twoNames(args[1] + "-caf\u00e9", args[1] + "-caf\u00fc");
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void twoNames(String first, String second) throws Exception {
        try (MessageQueue a = MessageQueue.create(first, QueueAttributes.of(1, 16));
             MessageQueue b = MessageQueue.create(second, QueueAttributes.of(1, 16))) {
            a.send(ByteBuffer.wrap("first".getBytes(StandardCharsets.UTF_8)), 0);
            b.send(ByteBuffer.wrap("second".getBytes(StandardCharsets.UTF_8)), 0);
            ByteBuffer buffer = ByteBuffer.allocate(16);
            a.receive(buffer.clear());
            String fromFirst = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
            b.receive(buffer.clear());
            String fromSecond = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
            System.out.println(fromFirst.equals("first") && fromSecond.equals("second") ? "distinct"
                    : "mixed " + fromFirst + " " + fromSecond);
        } catch (java.nio.file.FileAlreadyExistsException sameQueue) {
            System.out.println("refused " + sameQueue.getMessage());
        } finally {
            MessageQueue.unlinkIfExists(first);
            MessageQueue.unlinkIfExists(second);
        }
    }

    private static void echo(String request, String reply, int count) throws Exception {
        try (MessageQueue in = MessageQueue.open(request, Access.READ_ONLY);
             MessageQueue out = MessageQueue.open(reply, Access.WRITE_ONLY)) {
            System.out.println("ready");
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) in.maxMessageSize());
            io.github.ipcatlas.mqueue.Delivery delivery = new io.github.ipcatlas.mqueue.Delivery();
            for (int i = 0; i < count; i++) {
                in.receive(buffer.clear(), delivery);
                String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString().toUpperCase(Locale.ROOT);
                out.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), delivery.priority());
            }
        }
    }

    private static void produce(String name, String tag, long count) throws Exception {
        try (MessageQueue out = MessageQueue.open(name, Access.WRITE_ONLY)) {
            System.out.println("ready");
            for (long i = 0; count < 0 || i < count; i++) {
                out.send(ByteBuffer.wrap((tag + ":" + i).getBytes(StandardCharsets.UTF_8)), 0);
            }
        }
    }

    private static void createAndLeave(String name, String text) throws Exception {
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(4, 128))) {
            queue.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 9);
        }
        System.out.println("ready");
    }

    private static void decode(String name) throws Exception {
        try (ObjectQueue<String> queue = new ObjectQueue<>(MessageQueue.open(name, Access.READ_ONLY),
                Codec.serializable(String.class, Set.of()))) {
            System.out.println("ready");
            try {
                System.out.println("decoded " + queue.get(Duration.ofSeconds(30)).orElseThrow());
            } catch (Throwable e) {
                System.out.println("threw " + e.getClass().getName() + " " + e.getMessage());
            }
        }
    }

    private static void exhaust(boolean budget) throws Exception {
        io.github.ipcatlas.mqueue.MqueueLimits limits = io.github.ipcatlas.mqueue.MqueueLimits.read();
        QueueAttributes attributes = budget ? QueueAttributes.of(limits.messagesMax(), limits.messageSizeMax())
                : QueueAttributes.of(1, 1);
        long most = budget ? limits.userBytesLimit() / io.github.ipcatlas.mqueue.MqueueLimits.chargedBytes(attributes) + 1 : limits.queuesMax() + 1;
        java.util.List<String> names = new java.util.ArrayList<>();
        String outcome = null;
        try {
            for (long i = 0; i < most && outcome == null; i++) {
                String name = io.github.ipcatlas.core.IpcNames.unique("t-mq-exhaust");
                try {
                    MessageQueue.create(name, attributes).close();
                    names.add(name);
                } catch (java.io.IOException refused) {
                    outcome = "refused " + refused.getMessage();
                }
            }
        } finally {
            for (String name : names) {
                MessageQueue.unlinkIfExists(name);
            }
        }
        System.out.println(outcome != null ? outcome : "created " + names.size());
    }
}
