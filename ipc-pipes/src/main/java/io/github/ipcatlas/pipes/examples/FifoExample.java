package io.github.ipcatlas.pipes.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.pipes.Fifo;
import io.github.ipcatlas.pipes.PipeEnd;

/**
 * A named pipe between two unrelated processes: the parent creates a FIFO in a private directory, starts a second
 * JVM that knows only the path, and reads what that process writes. Prints
 * {@code Hello from the writer process} and removes the FIFO.
 */
public final class FifoExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new FifoExample().run(System.out);
    }

    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public String summary() {
        return "two processes meet at a FIFO path; the reader prints what the writer sent";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Path directory = Files.createTempDirectory("ipc-atlas-fifo-"); // mode 0700: only we can reach the FIFO
        Path path = directory.resolve("greetings");
        try {
            Fifo.create(path);
            try (ChildProcess writer = ChildJvm.builder(Writer.class).args(path.toString()).quickStart().start();
                 PipeEnd reader = Fifo.openReader(path, DEADLINE)) {
                byte[] message = reader.inputStream().readAllBytes(); // until the writer closes
                out.println(new String(message, StandardCharsets.UTF_8));
                int status = writer.awaitExit(DEADLINE);
                if (status != 0) {
                    throw new IllegalStateException("writer exited with " + status + ": " + writer.stderr());
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        }
    }

    /** The other process: opens the FIFO by name and writes one message. */
    public static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws Exception {
            try (PipeEnd fifo = Fifo.openWriter(Path.of(args[0]), DEADLINE)) {
                fifo.write(ByteBuffer.wrap("Hello from the writer process".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
