package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ipcatlas.core.Demo;

/**
 * The Java twin of the write-up's shared-variable example: ten threads each add one to a shared variable; prints
 * {@code 10}.
 *
 * <pre>
 * shared_data = 0
 * def worker():
 *     global shared_data
 *     shared_data += 1
 * ... 10 threads, start, join ...
 * print(shared_data)  # 10
 * </pre>
 *
 * Python's {@code shared_data += 1} is not atomic either; it prints 10 because the threads rarely overlap. A Java
 * {@code int} field with {@code counter++} would usually print 10 too, and sometimes less (see {@code thread-race},
 * which forces the lost update). So the shared variable here is an {@link AtomicInteger}: the same idea, made
 * correct. {@link Thread#join()} makes every worker's write visible to the final read.
 */
public final class ThreadSharedVariableExample implements Demo {

    public static void main(String[] args) throws Exception {
        new ThreadSharedVariableExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-shared-variable";
    }

    @Override
    public String summary() {
        return "ten threads increment one shared variable (atomically); prints 10";
    }

    @Override
    public String seed() {
        return """
                import threading

                shared_data = 0

                def worker():
                    global shared_data
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
        AtomicInteger sharedData = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(sharedData::incrementAndGet);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        out.println(sharedData.get());
    }
}
