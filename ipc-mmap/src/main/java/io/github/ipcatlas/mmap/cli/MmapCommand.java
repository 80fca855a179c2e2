package io.github.ipcatlas.mmap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.mmap.Growth;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ipc-atlas mmap write|read}: a file through a mapping, from the shell. */
@Command(name = "mmap", mixinStandardHelpOptions = true, description = "Write and read files through a memory mapping.",
        subcommands = {MmapCommand.Write.class, MmapCommand.Read.class})
public final class MmapCommand {

    /** Runs {@code mmap} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new MmapCommand(), args);
    }

    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Write TEXT (UTF-8) at OFFSET of FILE through a shared mapping; creates FILE (mode 0600) and "
                    + "grows it as needed, then forces it to disk.")
    static final class Write implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "byte offset (default: 0)")
        long offset;

        @Override
        public Integer call() throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("--offset " + offset + " is negative");
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            long needed = offset + Math.max(1, bytes.length);
            long size = Files.exists(file) ? Math.max(Files.size(file), needed) : needed;
            try (MappedFile map = MappedFile.create(file, size, Growth.PREALLOCATE)) {
                map.put(offset, ByteBuffer.wrap(bytes));
                map.force();
            }
            return 0;
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Print LENGTH bytes (default: to the end) from OFFSET of FILE, read through a mapping.")
    static final class Read implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "byte offset (default: 0)")
        long offset;

        @Option(names = "--length", paramLabel = "N", description = "bytes to print (default: to the end of the file)")
        Long length;

        @Override
        public Integer call() throws IOException {
            if (offset < 0) {
                throw new IllegalArgumentException("--offset " + offset + " is negative");
            }
            if (length != null && length < 0) {
                throw new IllegalArgumentException("--length " + length + " is negative");
            }
            try (MappedFile map = MappedFile.map(file, MapMode.READ_ONLY)) {
                if (offset > map.length()) {
                    throw new IllegalArgumentException("--offset " + offset + " is past the end of " + file + " ("
                            + map.length() + " bytes)");
                }
                long count = length == null ? map.length() - offset : length;
                if (offset + count > map.length()) {
                    throw new IllegalArgumentException("--length " + count + " from offset " + offset
                            + " runs past the end of " + file + " (" + map.length() + " bytes)");
                }
                PrintStream out = System.out;
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                for (long at = offset; at < offset + count; ) {
                    int n = (int) Math.min(chunk.capacity(), offset + count - at);
                    map.get(at, chunk.clear().limit(n));
                    out.write(chunk.array(), 0, n);
                    at += n;
                }
                out.flush();
            }
            return 0;
        }
    }
}
