package io.github.ipcatlas.mqueue.examples;

import java.io.PrintStream;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.Codec;
import io.github.ipcatlas.mqueue.MessageQueue;
import io.github.ipcatlas.mqueue.ObjectQueue;
import io.github.ipcatlas.mqueue.QueueAttributes;

/**
 * The Java twin of the write-up's {@code multiprocessing.Queue} example:
 *
 * <pre>
 * def worker(q):
 *     q.put("Hello from the child process")
 * q = Queue(); p = Process(target=worker, args=(q,)); p.start()
 * print(q.get())  # Hello from the child process
 * p.join()
 * </pre>
 *
 * The parent creates a POSIX message queue, starts a child JVM that opens it by name and puts the greeting, gets
 * and prints it, waits for the child, and unlinks the queue (a message queue outlives its processes otherwise).
 */
public final class MqueueExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new MqueueExample().run(System.out);
    }

    @Override
    public String name() {
        return "mqueue";
    }

    @Override
    public String summary() {
        return "multiprocessing.Queue twin: a child process puts a message, the parent gets it";
    }

    @Override
    public String seed() {
        return """
                from multiprocessing import Process, Queue

                def worker(q):
                    q.put("Hello from the child process")

                if __name__ == "__main__":
                    q = Queue()
                    p = Process(target=worker, args=(q,))
                    p.start()
                    print(q.get())  # Hello from the child process
                    p.join()
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String name = IpcNames.unique("mqueue-demo");
        try (ObjectQueue<String> queue = new ObjectQueue<>(MessageQueue.create(name, QueueAttributes.of(10, 1024)),
                Codec.utf8());
             ChildProcess child = ChildJvm.builder(Worker.class).args(name).quickStart().start()) {
            out.println(queue.get(DEADLINE).orElseThrow(() -> new IllegalStateException(
                    "the child sent nothing in " + DEADLINE + ": " + child.stderr())));      // q.get()
            int status = child.awaitExit(DEADLINE);                                           // p.join()
            if (status != 0) {
                throw new IllegalStateException("child exited with " + status + ": " + child.stderr());
            }
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** The child process: {@code q.put("Hello from the child process")}. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (ObjectQueue<String> queue = ObjectQueue.open(args[0], Codec.utf8())) {
                queue.put("Hello from the child process");
            }
        }
    }
}
