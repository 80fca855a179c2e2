package io.github.ipcatlas.shm.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.SharedLongArray;
import io.github.ipcatlas.shm.SharedMemory;

/**
 * The {@code multiprocessing.Array} counterpart the write-up names next to {@code Value}: the parent fills a shared
 * array with 0..9, a child squares every element in place, the parent prints
 * {@code [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]}.
 */
public final class ShmArrayExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    static final int LENGTH = 10;

    public static void main(String[] args) throws Exception {
        new ShmArrayExample().run(System.out);
    }

    @Override
    public String name() {
        return "shm-array";
    }

    @Override
    public String summary() {
        return "multiprocessing.Array twin: a child squares a shared array in place";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String name = IpcNames.unique("shm-array");
        try (SharedMemory segment = SharedMemory.create(name, SharedLongArray.footprint(LENGTH))) {
            SharedLongArray numbers = new SharedLongArray(segment.memory(), 0, LENGTH);
            for (int i = 0; i < LENGTH; i++) {
                numbers.set(i, i);
            }
            try (ChildProcess child = ChildJvm.builder(Squarer.class).args(name).quickStart().start()) {
                int status = child.awaitExit(DEADLINE);
                if (status != 0) {
                    throw new IllegalStateException("child exited with " + status + ": " + child.stderr());
                }
            }
            out.println(Arrays.toString(numbers.toArray()));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** The child: squares every element. */
    public static final class Squarer {
        private Squarer() {
        }

        public static void main(String[] args) throws Exception {
            try (SharedMemory segment = SharedMemory.open(args[0], false)) {
                SharedLongArray numbers = new SharedLongArray(segment.memory(), 0, LENGTH);
                for (int i = 0; i < numbers.length(); i++) {
                    numbers.set(i, numbers.get(i) * numbers.get(i));
                }
            }
        }
    }
}
