package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.github.ipcatlas.core.Demo;

/**
 * The Java twin of the write-up's {@code queue.Queue} example: a worker thread puts a message, the main thread
 * takes and prints it: {@code Hello from the worker thread}. {@link LinkedBlockingQueue} is Python's unbounded
 * {@code queue.Queue()}; the put happens-before the take that returns it.
 */
public final class ThreadQueueExample implements Demo {

    public static void main(String[] args) throws Exception {
        new ThreadQueueExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-queue";
    }

    @Override
    public String summary() {
        return "a worker thread puts a message on a BlockingQueue; the main thread takes it";
    }

    @Override
    public String seed() {
        return """
                import threading
                import queue

                q = queue.Queue()

                def worker():
                    q.put("Hello from the worker thread")

                t = threading.Thread(target=worker)
                t.start()
                print(q.get())  # Hello from the worker thread
                t.join()
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> q.add("Hello from the worker thread"));
        t.start();
        out.println(q.take());
        t.join();
    }
}
