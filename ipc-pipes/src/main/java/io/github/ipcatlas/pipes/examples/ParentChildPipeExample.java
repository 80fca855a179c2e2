package io.github.ipcatlas.pipes.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.pipes.AnonymousPipe;

/**
 * An anonymous pipe between a parent and a child process, the use the write-up names: the parent creates the pipe,
 * starts a child JVM that inherits the read end as descriptor 3, writes a message and closes its write end; the
 * child reads until end of stream and prints what it got. Prints
 * {@code child received: Hello from the parent process}.
 */
public final class ParentChildPipeExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new ParentChildPipeExample().run(System.out);
    }

    @Override
    public String name() {
        return "pipe-child";
    }

    @Override
    public String summary() {
        return "a parent writes into a pipe whose read end a child JVM inherited as fd 3";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess child = ChildJvm.builder(Child.class).inheritFd(pipe.readEnd(), 3).quickStart().start()) {
            // Close our copy of the read end: the child's is the only one, so a dead child means EPIPE, not a hang.
            pipe.readEnd().close();
            pipe.writeEnd().write(ByteBuffer.wrap("Hello from the parent process".getBytes(StandardCharsets.UTF_8)));
            // Close the write end: the child's read then returns end of stream after the message.
            pipe.writeEnd().close();

            out.println(child.nextLine(DEADLINE));
            int status = child.awaitExit(DEADLINE);
            if (status != 0) {
                throw new IllegalStateException("child exited with " + status + ": " + child.stderr());
            }
        }
    }

    /** The child: reads descriptor 3 to end of stream. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            try (FdChannel inherited = new FdChannel(3, "pipe read end inherited as fd 3")) {
                byte[] message = inherited.inputStream().readAllBytes(); // until the parent closes its write end
                System.out.println("child received: " + new String(message, StandardCharsets.UTF_8));
            }
        }
    }
}
