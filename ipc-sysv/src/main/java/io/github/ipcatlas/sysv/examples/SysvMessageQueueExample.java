package io.github.ipcatlas.sysv.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.sysv.MessageSelector;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvMessageQueue;

/**
 * One System V message queue carrying a conversation both ways, told apart by message type: the parent sends its
 * question as type 1, a child JVM answers as type 2, and each side receives only the type meant for it. The queue
 * is {@code IPC_PRIVATE}, so the child gets its id on the command line; the parent removes it at the end, since a
 * System V queue outlives every process otherwise.
 */
public final class SysvMessageQueueExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long QUESTION = 1;
    private static final long ANSWER = 2;

    public static void main(String[] args) throws Exception {
        new SysvMessageQueueExample().run(System.out);
    }

    @Override
    public String name() {
        return "sysv-mq";
    }

    @Override
    public String summary() {
        return "System V message queue: question and answer on one queue, told apart by message type";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        SysvMessageQueue queue = SysvMessageQueue.create(SysvKey.PRIVATE);
        try (ChildProcess child = ChildJvm.builder(Answerer.class).args(String.valueOf(queue.id())).quickStart()
                .start()) {
            queue.send(QUESTION, ByteBuffer.wrap("Who is there?".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer answer = ByteBuffer.allocate(256);
            long type = queue.receive(answer, MessageSelector.ofType(ANSWER), DEADLINE);
            if (type < 0) {
                throw new IllegalStateException("no answer in " + DEADLINE + ": " + child.stderr());
            }
            out.println(StandardCharsets.UTF_8.decode(answer.flip()) + " (type " + type + ")");
            int status = child.awaitExit(DEADLINE);
            if (status != 0) {
                throw new IllegalStateException("child exited with " + status + ": " + child.stderr());
            }
        } finally {
            queue.remove(); // closing the handle would not: the queue would stay until reboot
            queue.close();
        }
    }

    /** The child: takes the question (type 1) and answers with type 2. */
    public static final class Answerer {
        private Answerer() {
        }

        public static void main(String[] args) throws Exception {
            try (SysvMessageQueue queue = SysvMessageQueue.ofId(Integer.parseInt(args[0]))) {
                ByteBuffer question = ByteBuffer.allocate(256);
                if (queue.receive(question, MessageSelector.ofType(QUESTION), DEADLINE) < 0) {
                    throw new IllegalStateException("no question came");
                }
                queue.send(ANSWER, ByteBuffer.wrap("Hello from the child process".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
