package io.github.ipcatlas.shm.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.shm.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ipc-atlas shm write|read|unlink}: POSIX shared-memory segments from the shell. */
@Command(name = "shm", mixinStandardHelpOptions = true, description = "Write, read and unlink POSIX shared-memory segments.",
        subcommands = {ShmCommand.Write.class, ShmCommand.Read.class, ShmCommand.Unlink.class})
public final class ShmCommand {

    /** Runs {@code shm} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new ShmCommand(), args);
    }

    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Create (or replace) the segment NAME holding exactly TEXT's UTF-8 bytes, mode 0600.")
    static final class Write implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "segment name, e.g. /greeting")
        String name;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        public Integer call() throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("TEXT is empty: a segment holds at least one byte");
            }
            SharedMemory.unlinkIfExists(name);
            try (SharedMemory segment = SharedMemory.create(name, bytes.length)) {
                segment.memory().put(0, ByteBuffer.wrap(bytes));
            }
            return 0;
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true, description = "Print the bytes of the segment NAME and a newline.")
    static final class Read implements Callable<Integer> {
        private static final int CHUNK_BYTES = 64 * 1024;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            try (SharedMemory segment = SharedMemory.open(name, true)) {
                // streamed: a segment can be larger than any Java array (and than the heap)
                byte[] chunk = new byte[CHUNK_BYTES];
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                PrintStream out = System.out;
                long size = segment.size();
                for (long at = 0; at < size; at += buffer.position()) {
                    buffer.clear().limit((int) Math.min(CHUNK_BYTES, size - at));
                    segment.memory().get(at, buffer);
                    out.write(chunk, 0, buffer.position());
                }
                out.println();
                out.flush();
                if (out.checkError()) {
                    throw new IOException("writing the segment to standard output failed");
                }
            }
            return 0;
        }
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true, description = "Remove the segment NAME.")
    static final class Unlink implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            SharedMemory.unlink(name);
            return 0;
        }
    }
}
