package io.github.ipcatlas.sysv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.ipcatlas.core.ProcFs;

/**
 * Where a thread of this JVM sleeps in the kernel, from {@code /proc/self/task/TID/wchan}: the way a test knows that
 * a thread is really blocked in {@code msgrcv} (wchan {@code do_msgrcv}) rather than about to call it.
 */
final class KernelWait {
    private KernelWait() {
    }

    /** The calling thread's id in the kernel. */
    static int currentTid() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** The kernel function thread {@code tid} of this process sleeps in, or {@code "0"} when running. */
    static String wchan(int tid) throws IOException {
        return ProcFs.read(Path.of("/proc/self/task/" + tid + "/wchan"));
    }
}
