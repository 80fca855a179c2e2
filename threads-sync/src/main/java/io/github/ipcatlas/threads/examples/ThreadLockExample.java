package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ipcatlas.core.Demo;

/**
 * The Java twin of the write-up's lock example ({@code with lock: shared_data += 1}): ten threads increment a plain
 * variable under a {@link ReentrantLock}; prints {@code 10}. {@code lock()}/{@code unlock()} in try/finally is
 * Python's {@code with lock:}; {@code synchronized (lock) { ... }} would do the same with the built-in monitor.
 */
public final class ThreadLockExample implements Demo {
    private final ReentrantLock lock = new ReentrantLock();
    private int sharedData; // guarded by lock

    public static void main(String[] args) throws Exception {
        new ThreadLockExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-lock";
    }

    @Override
    public String summary() {
        return "ten threads increment a variable under a lock; prints 10";
    }

    @Override
    public String seed() {
        return """
                import threading

                shared_data = 0
                lock = threading.Lock()

                def worker():
                    global shared_data
                    with lock:
                        shared_data += 1

                threads = []
                for _ in range(10):
                    t = threading.Thread(target=worker)
                    threads.append(t)
                    t.start()

                for t in threads:
                    t.join()

                print(shared_data)  # 10
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(this::worker);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        lock.lock();
        try {
            out.println(sharedData);
        } finally {
            lock.unlock();
        }
    }

    private void worker() {
        lock.lock();
        try {
            sharedData += 1;
        } finally {
            lock.unlock();
        }
    }
}
