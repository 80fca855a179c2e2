package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ProgramPath;

/**
 * The same ping-pong in C ({@code pingpong.c}, shipped in the jar), compiled with the machine's C compiler, so each
 * Java figure can be set against what the mechanism costs without a JVM.
 */
public final class NativeBaseline implements AutoCloseable {
    /** Mechanisms {@code pingpong.c} implements. */
    public static final Set<String> MECHANISMS = Set.of("pipe", "fifo", "mq", "mmap", "shm", "uds", "tcp", "udp", "signal", "signal-rt");
    private static final Duration COMPILE_DEADLINE = Duration.ofSeconds(120);

    private final Path directory;
    private final Path program;

    private NativeBaseline(Path directory, Path program) {
        this.directory = directory;
        this.program = program;
    }

    /** Compiles {@code pingpong.c} with {@code cc} into a private temporary directory. */
    public static NativeBaseline compile() throws IOException {
        Path compiler = ProgramPath.find("cc").orElseThrow(() -> new IOException(
                "--baseline native needs a C compiler on PATH (cc); install one, e.g. apt-get install gcc"));
        Path directory = Files.createTempDirectory("ipc-atlas-baseline-");
        Path source = directory.resolve("pingpong.c");
        Path program = directory.resolve("pingpong");
        try (InputStream in = NativeBaseline.class.getResourceAsStream("/native/pingpong.c")) {
            if (in == null) {
                throw new IOException("pingpong.c is missing from the jar");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            try (ChildProcess cc = ChildProcess.builder(compiler.toString(), "-O2", "-o", program.toString(),
                    source.toString()).start()) {
                int status = cc.awaitExit(COMPILE_DEADLINE);
                if (status != 0) {
                    throw new IOException("compiling pingpong.c failed (exit " + status + "): " + cc.stderr());
                }
            }
            return new NativeBaseline(directory, program);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(program, source, directory);
            throw e;
        }
    }

    /** Whether the C program implements {@code mechanism}. */
    public boolean supports(String mechanism) {
        return MECHANISMS.contains(mechanism);
    }

    /** Runs the C ping-pong; its percentiles come from sorting every round trip, as exact as the histogram's. */
    public Baseline run(String mechanism, int size, long roundTrips, long warmup) throws IOException {
        try (ChildProcess run = ChildProcess.builder(program.toString(), mechanism, String.valueOf(size),
                String.valueOf(roundTrips), String.valueOf(warmup)).start()) {
            List<String> lines = run.remainingLines(Duration.ofMinutes(10));
            int status = run.awaitExit(Duration.ofMinutes(1));
            if (status != 0 || lines.size() != 1) {
                throw new IOException("pingpong " + mechanism + " " + size + " failed (exit " + status + "): " + run.stderr());
            }
            String[] fields = lines.get(0).split(",");
            return new Baseline(Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]),
                    Long.parseLong(fields[6]), Long.parseLong(fields[7]));
        }
    }

    /** Removes the compiled program. */
    @Override
    public void close() {
        deleteQuietly(program, directory.resolve("pingpong.c"), directory);
    }

    private static void deleteQuietly(Path... paths) {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover in a temporary directory is not worth failing the run for
            }
        }
    }

    /** Round-trip percentiles of the C ping-pong, in nanoseconds. */
    public record Baseline(long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos) {
    }
}
