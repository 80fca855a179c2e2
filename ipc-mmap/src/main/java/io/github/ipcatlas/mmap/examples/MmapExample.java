package io.github.ipcatlas.mmap.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * The write-up's memory-mapped files, shown: two processes map the same file; the child stores a message and
 * then sets a flag with release ordering; the parent, spinning on the flag with acquire ordering, sees the message
 * in its own mapping without a single read or write system call — both mappings are the same page-cache pages.
 * Prints {@code Hello through a shared mapping}.
 */
public final class MmapExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Layout of the shared file: a ready flag, the message length, the message. */
    static final int READY = 0;
    static final int LENGTH = 8;
    static final int TEXT = 16;
    static final int SIZE = 4096;

    public static void main(String[] args) throws Exception {
        new MmapExample().run(System.out);
    }

    @Override
    public String name() {
        return "mmap";
    }

    @Override
    public String summary() {
        return "two processes share one file mapping; the reader sees the write with no read/write call";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Path directory = Files.createTempDirectory("ipc-atlas-mmap-");
        Path file = directory.resolve("shared");
        try (MappedFile map = MappedFile.create(file, SIZE, Growth.PREALLOCATE);
             ChildProcess child = ChildJvm.builder(Writer.class).args(file.toString()).quickStart().start()) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (map.getLongAcquire(READY) == 0) { // no system call: just memory the kernel shares
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the writer set no flag in " + DEADLINE + ": " + child.stderr());
                }
                Thread.onSpinWait();
            }
            ByteBuffer text = ByteBuffer.allocate(map.getInt(LENGTH));
            map.get(TEXT, text);
            out.println(StandardCharsets.UTF_8.decode(text.flip()));
            int status = child.awaitExit(DEADLINE);
            if (status != 0) {
                throw new IllegalStateException("writer exited with " + status + ": " + child.stderr());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    /** The other process: maps the file and writes into memory. */
    public static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws Exception {
            try (MappedFile map = MappedFile.map(Path.of(args[0]), MapMode.READ_WRITE)) {
                byte[] text = "Hello through a shared mapping".getBytes(StandardCharsets.UTF_8);
                map.put(TEXT, ByteBuffer.wrap(text));
                map.putInt(LENGTH, text.length);
                map.setLongRelease(READY, 1); // publishes the bytes above to every process mapping the file
            }
        }
    }
}
