package io.github.ipcatlas.pipes.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.pipes.AnonymousPipe;

/**
 * The Java twin of the write-up's {@code os.pipe} example:
 *
 * <pre>
 * import os
 * r, w = os.pipe()
 * os.write(w, b"Hello from the parent process")
 * print(os.read(r, 1024))  # b'Hello from the parent process'
 * </pre>
 *
 * One process writes into its own pipe and reads the bytes back: the smallest possible look at the kernel buffer.
 * Prints {@code Hello from the parent process}.
 */
public final class PipeExample implements Demo {

    public static void main(String[] args) throws Exception {
        new PipeExample().run(System.out);
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public String summary() {
        return "os.pipe twin: write into a pipe and read the bytes back";
    }

    @Override
    public String seed() {
        return """
                import os
                r, w = os.pipe()
                os.write(w, b"Hello from the parent process")
                print(os.read(r, 1024))  # b'Hello from the parent process'
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (AnonymousPipe pipe = AnonymousPipe.open()) {
            pipe.writeEnd().write(ByteBuffer.wrap("Hello from the parent process".getBytes(StandardCharsets.UTF_8)));

            ByteBuffer received = ByteBuffer.allocate(1024); // os.read(r, 1024): at most 1024 bytes
            pipe.readEnd().read(received);
            out.println(StandardCharsets.UTF_8.decode(received.flip()));
        }
    }
}
