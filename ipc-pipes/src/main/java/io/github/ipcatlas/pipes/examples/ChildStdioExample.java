package io.github.ipcatlas.pipes.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.Demo;

/**
 * The everyday Java route to a pipe: {@link ProcessBuilder} connects a child's standard input and output to pipes
 * ({@code Process.getOutputStream()} is the write end of the child's stdin pipe, {@code getInputStream()} the read
 * end of its stdout pipe). Nothing native is needed, but only descriptors 0, 1 and 2 can be handed over this way.
 * Prints {@code child read from stdin: Hello from the parent process}.
 */
public final class ChildStdioExample implements Demo {

    public static void main(String[] args) throws Exception {
        new ChildStdioExample().run(System.out);
    }

    @Override
    public String name() {
        return "pipe-stdio";
    }

    @Override
    public String summary() {
        return "ProcessBuilder's pipes: write to a child's stdin, read its stdout";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Process child = new ProcessBuilder(ChildJvm.builder(Child.class).quickStart().command())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            try (OutputStream toChild = child.getOutputStream()) {
                toChild.write("Hello from the parent process\n".getBytes(StandardCharsets.UTF_8));
            } // closing the stdin pipe's write end: the child sees end of stream
            try (BufferedReader fromChild = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                out.println(fromChild.readLine());
            }
            if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0) {
                throw new IllegalStateException("child did not exit cleanly");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child: echoes its standard input with a prefix. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("child read from stdin: " + line);
            }
        }
    }
}
