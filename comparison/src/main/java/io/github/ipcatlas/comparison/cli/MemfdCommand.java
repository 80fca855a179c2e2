package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.shm.MemFd;
import io.github.ipcatlas.shm.MemFd.Seal;
import io.github.ipcatlas.sockets.DescriptorPassing;
import io.github.ipcatlas.sockets.UnixAddress;
import io.github.ipcatlas.sockets.UnixListener;
import io.github.ipcatlas.sockets.UnixStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipc-atlas memfd serve|receive}: sealed anonymous memory ({@code ipc-shm}'s {@link MemFd}) handed over a Unix
 * socket with {@code SCM_RIGHTS} ({@code ipc-sockets}' {@link DescriptorPassing}). It lives here, not in either
 * module, because it joins the two.
 */
@Command(name = "memfd", mixinStandardHelpOptions = true,
        description = "Hand out sealed anonymous memory (memfd_create) over a Unix socket, or receive it.",
        subcommands = {MemfdCommand.Serve.class, MemfdCommand.Receive.class})
public final class MemfdCommand {
    /** The most a receiver reads of a memfd from another process: 16 MiB. */
    static final int MAX_CONTENTS = 16 << 20;
    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Print 'listening on ADDRESS', then hand each client that connects a memfd holding "
                    + "exactly TEXT's bytes (UTF-8), sealed against shrinking, growing and writing.",
                    "ADDRESS is a path (created 0600, removed at exit) or @NAME in the abstract namespace, which "
                            + "has no permissions: any process of this network namespace can connect to it.",
                    "A client that fails (hangs up, say) is reported on stderr and does not count."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--unix", paramLabel = "ADDRESS", required = true, description = "a socket path or @NAME")
        String unix;

        @Parameters(paramLabel = "TEXT")
        String text;

        @Option(names = "--count", paramLabel = "N", description = "exit after N clients; default: serve until killed")
        Integer count;

        @Override
        public Integer call() throws IOException {
            if (count != null && count < 1) {
                throw new IllegalArgumentException("--count " + count + " must be at least 1");
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            PrintStream out = System.out;
            try (UnixListener listener = UnixListener.bind(UnixAddress.parse(unix))) {
                Thread cleanup = new Thread(() -> closeQuietly(listener), "memfd-serve-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C or kill: the socket file goes too
                out.println("listening on " + listener.address());
                out.flush();
                for (long served = 0; count == null || served < count; ) {
                    FdChannel client = listener.accept(Duration.ofDays(365));
                    try (client; MemFd memory = MemFd.create("ipc-atlas-memfd")) {
                        memory.write(ByteBuffer.wrap(bytes));
                        memory.seal(Seal.SHRINK, Seal.GROW, Seal.WRITE);
                        DescriptorPassing.send(client, ByteBuffer.wrap(new byte[] {'m'}), memory.channel());
                        served++;
                    } catch (IOException oneClient) { // a client that hung up, say: it must not end the service
                        System.err.println("ipc-atlas memfd serve: " + oneClient.getMessage());
                    }
                }
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            return 0;
        }

        private static void closeQuietly(UnixListener listener) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true,
            description = {"Connect to a 'memfd serve', print the memfd's contents and a newline, then 'seals: ' "
                    + "and its seal names.", "At most 16 MiB is read: the memory comes from another process."})
    static final class Receive implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--unix", paramLabel = "ADDRESS", required = true, description = "a socket path or @NAME")
        String unix;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds, connecting and "
                + "waiting for the memfd (exit 1); default: 30000")
        Long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            Duration timeout = timeoutMillis == null ? CLIENT_DEADLINE : CommandLines.timeout(spec, timeoutMillis);
            Deadline deadline = Deadline.after(timeout); // one budget: connecting, then the server's answer
            try (FdChannel socket = UnixStreams.connect(UnixAddress.parse(unix), timeout)) {
                if (!socket.awaitReadable(Duration.ofNanos(deadline.remainingNanos()))) {
                    throw new IpcTimeoutException("waiting for " + unix + " to send a memfd", timeout);
                }
                DescriptorPassing.Received received = DescriptorPassing.receive(socket, ByteBuffer.allocate(1), 1);
                if (received.descriptors().isEmpty()) {
                    throw new IOException(unix + " sent no descriptor");
                }
                try (MemFd memory = MemFd.adopt(received.descriptors().get(0))) {
                    System.out.write(memory.contents(MAX_CONTENTS)); // the bytes as they are, whatever the locale
                    System.out.println();
                    System.out.println("seals: " + memory.seals().stream()
                            .map(seal -> seal.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .collect(Collectors.joining(" ")));
                    if (System.out.checkError()) {
                        throw new IOException("writing to standard output failed");
                    }
                }
            }
            return 0;
        }
    }
}
