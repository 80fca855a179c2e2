package io.github.ipcatlas.pipes.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.pipes.Fifo;
import io.github.ipcatlas.pipes.PipeEnd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc-atlas fifo create|write|read}: named pipes from the shell. */
@Command(name = "fifo", mixinStandardHelpOptions = true,
        description = "Create, write and read named pipes (FIFOs).",
        subcommands = {FifoCommand.Create.class, FifoCommand.Write.class, FifoCommand.Read.class})
public final class FifoCommand {

    /** Runs {@code fifo} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new FifoCommand(), args);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a FIFO (mkfifo).")
    static final class Create implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "where to create it")
        Path path;

        @Option(names = "--mode", paramLabel = "OCTAL", defaultValue = "600",
                description = "permission bits, octal, less the umask (default: ${DEFAULT-VALUE})")
        String mode;

        @Override
        public Integer call() throws IOException {
            Fifo.create(path, parseMode(mode));
            return 0;
        }
    }

    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Write TEXT and a newline to the FIFO at PATH (created with mode 0600 if missing), "
                    + "waiting for a reader.")
    static final class Write implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH")
        Path path;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
        Long timeoutMillis;

        @Option(names = {"-n", "--no-newline"}, description = "do not add a newline")
        boolean noNewline;

        @Override
        public Integer call() throws IOException {
            Deadline deadline = Deadline.after(CommandLines.timeout(spec, timeoutMillis));
            Fifo.createIfMissing(path, Fifo.DEFAULT_MODE);
            byte[] bytes = (noNewline ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
            try (PipeEnd fifo = Fifo.openWriter(path, java.time.Duration.ofNanos(deadline.remainingNanos()))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                fifo.write(buffer, java.time.Duration.ofNanos(deadline.remainingNanos()));
                if (buffer.hasRemaining()) {
                    throw new IpcTimeoutException("write(" + path + "): the reader took only " + buffer.position()
                            + " of " + bytes.length + " bytes, so it",
                            CommandLines.timeout(spec, timeoutMillis));
                }
            }
            return 0;
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Wait for a writer, then print what is read from the FIFO at PATH until end of stream.")
    static final class Read implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH")
        Path path;

        @Option(names = "--timeout", paramLabel = "MS",
                description = "give up after MS milliseconds, counting from the start (exit 1)")
        Long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            java.time.Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            Deadline deadline = Deadline.after(timeout);
            PrintStream out = System.out; // raw bytes, exactly as they came
            try (PipeEnd fifo = Fifo.openReader(path, timeout)) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                while (true) {
                    int n = fifo.read(buffer.clear(), java.time.Duration.ofNanos(deadline.remainingNanos()));
                    if (n < 0) {
                        break;
                    }
                    if (n == 0) {
                        out.flush();
                        throw new IpcTimeoutException("read(" + path + "): the writer did not close, so it", timeout);
                    }
                    out.write(buffer.array(), 0, n);
                }
            }
            out.flush();
            return 0;
        }
    }

    private static int parseMode(String text) {
        try {
            int mode = Integer.parseInt(text, 8);
            if (mode >= 0 && mode <= 0777) {
                return mode;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--mode " + text + " is not an octal mode between 0 and 777");
    }
}
