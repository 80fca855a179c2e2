package io.github.ipcatlas.shm.examples;

import java.io.PrintStream;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.SharedLong;
import io.github.ipcatlas.shm.SharedMemory;

/**
 * The Java twin of the write-up's {@code multiprocessing.Value} example: a child process sets a shared number to
 * 42, the parent waits for the child and prints the number: {@code 42}. The parent creates a shared-memory segment;
 * the child opens it by name; {@code join} (waiting for the child's exit) is what makes the write visible, as in
 * Python.
 */
public final class ShmValueExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new ShmValueExample().run(System.out);
    }

    @Override
    public String name() {
        return "shm-value";
    }

    @Override
    public String summary() {
        return "multiprocessing.Value twin: a child sets a shared number to 42, the parent prints it";
    }

    @Override
    public String seed() {
        return """
                from multiprocessing import Process, Value

                def worker(num):
                    num.value = 42

                if __name__ == "__main__":
                    shared_num = Value('i', 0)
                    p = Process(target=worker, args=(shared_num,))
                    p.start()
                    p.join()
                    print(shared_num.value)  # 42
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String name = IpcNames.unique("shm-value");
        try (SharedMemory segment = SharedMemory.create(name, Long.BYTES)) {           // Value('i', 0)
            SharedLong sharedNum = new SharedLong(segment.memory(), 0);
            try (ChildProcess p = ChildJvm.builder(Worker.class).args(name).quickStart().start()) {  // p.start()
                int status = p.awaitExit(DEADLINE);                                  // p.join()
                if (status != 0) {
                    throw new IllegalStateException("worker exited with " + status + ": " + p.stderr());
                }
            }
            out.println(sharedNum.get());                                            // print(shared_num.value)
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** The child: {@code num.value = 42}. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) throws Exception {
            try (SharedMemory segment = SharedMemory.open(args[0], false)) {
                new SharedLong(segment.memory(), 0).set(42);
            }
        }
    }
}
