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
 * The same measurements in C ({@code pingpong.c}, shipped in the jar), compiled with the machine's C compiler, so each
 * Java figure can be set against what the mechanism costs without a JVM: the ping-pong, and one-way streaming after
 * the same warm-up, pinned as the Java run is, with the CPU time both processes used.
 */
public final class NativeBaseline implements AutoCloseable {
    /** Mechanisms {@code pingpong.c} implements. */
    public static final Set<String> MECHANISMS = Set.of("pipe", "fifo", "mq", "sysv-mq", "mmap", "shm", "shm-blocking", "sysv-shm", "uds", "tcp",
            "udp", "signal", "signal-rt", "eventfd");
    /** Mechanisms {@code pingpong.c} also streams: not UDP, which drops what has no room, nor the signals. */
    public static final Set<String> STREAMING = Set.of("pipe", "fifo", "mq", "sysv-mq", "mmap", "shm", "shm-blocking", "sysv-shm", "uds", "tcp");
    private static final Duration COMPILE_DEADLINE = Duration.ofSeconds(120);
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(11);
    /**
     * glibc copies from 2 KiB up with {@code rep movsb} on CPUs that advertise it as fast (ERMS/FSRM); on AMD EPYC
     * VMs here that copied 64 KiB records 2.6–3.9× slower than glibc's own vector loop, so C lost to Java's copy.
     * Raising the threshold keeps the vector loop: the twin stays the native limit, not a glibc quirk.
     */
    private static final String GLIBC_TUNABLES = "glibc.cpu.x86_rep_movsb_threshold=2147483647";

    /** What {@code pingpong.c} writes to stderr once both its processes run their second thread. */
    static final String THREADED_CONFIRMATION = "pingpong: threaded: two threads in each process";

    private final Path directory;
    private final Path program;
    private final boolean threaded;

    private NativeBaseline(Path directory, Path program, boolean threaded) {
        this.directory = directory;
        this.program = program;
        this.threaded = threaded;
    }

    /**
     * Compiles {@code pingpong.c} with {@code cc} into a private temporary directory.
     *
     * @param threaded whether each C process gets one more thread, asleep throughout, as every JVM has: the kernel
     *                 charges a process whose threads share a descriptor table more for every call on a descriptor
     *                 (see {@code pingpong.c}), so this twin sets apart what Java adds from what any threaded process
     *                 pays
     */
    public static NativeBaseline compile(boolean threaded) throws IOException {
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
            try (ChildProcess cc = ChildProcess.builder(compiler.toString(), "-O2", "-pthread", "-o", program.toString(),
                    source.toString()).start()) {
                int status = cc.awaitExit(COMPILE_DEADLINE);
                if (status != 0) {
                    throw new IOException("compiling pingpong.c failed (exit " + status + "): " + cc.stderr());
                }
            }
            return new NativeBaseline(directory, program, threaded);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(program, source, directory);
            throw e;
        }
    }

    /** The compiled program, for tests that run it directly. */
    Path program() {
        return program;
    }

    /** Whether the C program measures {@code mechanism} round trips, or with {@code streaming}, its throughput. */
    public boolean supports(String mechanism, boolean streaming) {
        return (streaming ? STREAMING : MECHANISMS).contains(mechanism);
    }

    /** Runs the C ping-pong; its percentiles come from sorting every round trip, as exact as the histogram's. */
    public Baseline latency(String mechanism, int size, long roundTrips, long warmup, Pinning pinning)
            throws IOException {
        long[] f = run(mechanism, size, roundTrips, warmup, "latency", pinning, 9);
        return new Baseline(f[3], f[4], f[5], f[6], f[7], (double) f[8] / roundTrips);
    }

    /** Runs the C stream: {@code warmup} messages and an acknowledgement, then {@code messages} timed. */
    public ThroughputBaseline throughput(String mechanism, int size, long messages, long warmup, Pinning pinning)
            throws IOException {
        long[] f = run(mechanism, size, messages, warmup, "throughput", pinning, 5);
        return new ThroughputBaseline(messages * 1e9 / f[3], (double) f[4] / messages);
    }

    /** Runs {@code pingpong} and returns the numbers of its one CSV line (the mechanism's name read as 0). */
    private long[] run(String mechanism, int size, long count, long warmup, String mode, Pinning pinning, int fields)
            throws IOException {
        try (ChildProcess run = ChildProcess.builder(program.toString(), mechanism, String.valueOf(size),
                String.valueOf(count), String.valueOf(warmup), mode, pinning.cpuArgument(),
                threaded ? "threaded" : "single")
                .environment("GLIBC_TUNABLES", GLIBC_TUNABLES).start()) {
            ChildProcess.Outcome outcome = run.finish(RUN_DEADLINE); // its stderr read to the end, unlike awaitExit's
            List<String> lines = outcome.stdout();
            int status = outcome.exitCode();
            String[] parts = lines.size() == 1 ? lines.get(0).split(",") : new String[0];
            if (status != 0 || parts.length != fields) {
                throw new IOException("pingpong " + mechanism + " " + size + " " + mode + " failed (exit " + status
                        + "): " + outcome.stderr() + String.join("\n", lines));
            }
            if (threaded && !outcome.stderr().contains(THREADED_CONFIRMATION)) {
                throw new IOException("pingpong " + mechanism + " did not confirm that it ran with two threads in each"
                        + " process: " + outcome.stderr());
            }
            long[] numbers = new long[fields];
            for (int i = 1; i < fields; i++) {
                numbers[i] = Long.parseLong(parts[i]);
            }
            return numbers;
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

    /** Round-trip percentiles of the C ping-pong, in nanoseconds, and the CPU time both processes used per round trip. */
    public record Baseline(long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                           double cpuNanosPerRoundTrip) {
    }

    /** The C stream's messages per second (first send to acknowledgement) and CPU time per message. */
    public record ThroughputBaseline(double messagesPerSecond, double cpuNanosPerMessage) {
    }
}
