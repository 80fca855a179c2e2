package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.threads.Event;

/**
 * The Java twin of the write-up's {@code threading.Event} example: a worker announces it waits, waits for the event,
 * and reports it; the main thread sets the event. Prints {@code Worker waiting for event} then
 * {@code Worker received event} (in that order whether {@code set()} comes before or after the worker starts
 * waiting: a set event releases later waiters at once).
 */
public final class ThreadEventExample implements Demo {

    public static void main(String[] args) throws Exception {
        new ThreadEventExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-event";
    }

    @Override
    public String summary() {
        return "a worker waits for an Event that the main thread sets";
    }

    @Override
    public String seed() {
        return """
                import threading

                event = threading.Event()

                def worker():
                    print("Worker waiting for event")
                    event.wait()
                    print("Worker received event")

                t = threading.Thread(target=worker)
                t.start()

                event.set()
                t.join()
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Event event = new Event();
        Thread t = new Thread(() -> {
            out.println("Worker waiting for event");
            try {
                event.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.println("Worker received event");
        });
        t.start();
        event.set();
        t.join();
    }
}
