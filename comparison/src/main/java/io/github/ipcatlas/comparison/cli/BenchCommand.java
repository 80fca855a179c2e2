package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.ipcatlas.comparison.bench.BenchmarkRunner;
import io.github.ipcatlas.comparison.bench.Charts;
import io.github.ipcatlas.comparison.bench.CoreToCoreProbe;
import io.github.ipcatlas.comparison.bench.Environment;
import io.github.ipcatlas.comparison.bench.LatencyResult;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.Mechanisms;
import io.github.ipcatlas.comparison.bench.NativeBaseline;
import io.github.ipcatlas.comparison.bench.Pinning;
import io.github.ipcatlas.comparison.bench.Progress;
import io.github.ipcatlas.comparison.bench.RateResult;
import io.github.ipcatlas.comparison.bench.Report;
import io.github.ipcatlas.comparison.bench.RunMedian;
import io.github.ipcatlas.comparison.bench.ThroughputResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipc-atlas bench}: every mechanism on one workload, measured side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure mechanisms on the same workload: ping-pong round trips between two processes (two "
                + "threads for thread mechanisms), one message in flight, after an untimed warm-up; or one-way "
                + "streaming throughput.", "Results on stdout, progress on stderr."})
public final class BenchCommand implements Callable<Integer> {
    /** Largest message the benchmark sends. */
    static final int MAX_SIZE = 16 * 1024 * 1024;
    /** Most runs of each measurement: enough for a median and its spread, not a day's work by a typo. */
    static final int MAX_RUNS = 99;
    /** Fastest offered load: one message a nanosecond is beyond any mechanism here, and beyond the clock. */
    static final double MAX_RATE = 1e9;
    /** Fewest messages a rate step sends when --messages is not given. */
    static final long MIN_RATE_MESSAGES = 1000;

    /** What {@code --mode} accepts. */
    enum Mode { latency, throughput, rate }

    /** What {@code --baseline} accepts, in the order its error message lists them. */
    static final List<String> BASELINES = List.of("none", "native", "native-threaded");

    /** What {@code --format} accepts. */
    enum OutputFormat { table, csv, json, markdown }

    @Option(names = "--mechanisms", split = ",", paramLabel = "ID[,ID…]",
            description = "mechanisms to measure (default: all but those between two hosts, *-veth and "
                    + "peer-aeron-udp, which need root): ${COMPLETION-CANDIDATES}",
            completionCandidates = MechanismIds.class)
    List<String> mechanisms;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES[,BYTES…]", defaultValue = "64,4096",
            description = "message sizes in bytes (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--round-trips", paramLabel = "N", defaultValue = "20000",
            description = "measured round trips per mechanism and size (default: ${DEFAULT-VALUE})")
    long roundTrips;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10000",
            description = "untimed round trips (or streamed messages) first, for the JIT (default: ${DEFAULT-VALUE}; "
                    + "the shared-memory rings take at least 200000, or 2 GiB of large messages)")
    long warmup;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100000",
            description = "measured messages per mechanism and size in throughput mode (default: ${DEFAULT-VALUE}; the "
                    + "shared-memory rings stream at least 2000000 or 2 GiB)")
    long messages;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "latency",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Mode mode;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--baseline", paramLabel = "KIND", defaultValue = "none",
            description = "native: also run the same measurement in C (compiled here with cc), pinned the same way, "
                    + "and show the Java/C ratio: round trips of pipe, fifo, mq, mmap, shm, shm-blocking, uds, tcp, "
                    + "udp, signal, signal-rt and eventfd; streams of all but udp, the signals and eventfd. "
                    + "native-threaded: the same C with one more, sleeping, thread in each process, as every JVM has, "
                    + "which the kernel charges on every call that takes a descriptor (default: none)")
    String baseline;

    @Option(names = "--output", paramLabel = "FILE", description = "write the results to FILE instead of stdout")
    Path output;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "also draw the results as a PNG chart: latency p50/p99 per mechanism, or throughput by size")
    Path chart;

    @Option(names = "--pin", arity = "0..1", fallbackValue = "split", paramLabel = "split|same",
            description = "pin the measuring thread to the first CPU this process may use (see taskset) and the "
                    + "peer's thread to the second (--pin, --pin split), or both to the first (--pin same: every "
                    + "hand-over a context switch); default: leave both to the scheduler")
    String pin = "none";

    @Option(names = "--rate", split = ",", paramLabel = "MSGS_PER_S[,…]",
            description = "with --mode rate: send round trips at this many a second, each rate in turn (a sweep), and "
                    + "count latency from each message's due time; each step sends --messages messages, or by default "
                    + "one second's worth (at least 1000)")
    List<Double> rates;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1",
            description = "make every measurement N times, run after run across all mechanisms (so drift hits all "
                    + "alike), and report the median run with the others' min-max and the core-to-core round trip of "
                    + "a cache line measured before each (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Mechanism> selected = selectedMechanisms();
        Pinning pinning = Pinning.parse(pin);
        validate(pinning);
        try (NativeBaseline nativeBaseline = baseline.startsWith("native")
                ? NativeBaseline.compile(baseline.equals("native-threaded")) : null) {
            return run(selected, nativeBaseline, pinning);
        }
    }

    private Integer run(List<Mechanism> selected, NativeBaseline nativeBaseline, Pinning pinning) throws IOException {
        int measurements = 0;
        for (Mechanism mechanism : selected) {
            for (int size : sizesFor(mechanism)) {
                measurements += mode != Mode.rate ? runs : skipReason(mechanism, size) != null ? 1 : rates.size();
            }
        }
        Progress progress = new Progress(System.err, measurements, quiet);
        BenchmarkRunner runner = new BenchmarkRunner(progress, pinning);
        Map<String, List<LatencyResult>> latencyRuns = new LinkedHashMap<>();
        Map<String, List<ThroughputResult>> throughputRuns = new LinkedHashMap<>();
        Map<String, List<Double>> probes = new LinkedHashMap<>();
        List<RateResult> rated = new ArrayList<>();
        // run by run, every mechanism in each: whatever drifts over the minutes of a run hits all of them alike
        for (int run = 1; run <= runs; run++) {
            for (Mechanism mechanism : selected) {
                for (int size : sizesFor(mechanism)) {
                    String key = mechanism.id() + " " + size + " B";
                    String reason = skipReason(mechanism, size);
                    if (reason != null) {
                        progress.begin(runs == 1 ? key : key + ", run " + run + " of " + runs);
                        progress.end("skipped: " + reason);
                        continue;
                    }
                    if (mode == Mode.rate) {
                        rated.addAll(sweep(runner, mechanism, size, key, progress));
                        continue;
                    }
                    progress.begin(runs == 1 ? key : key + ", run " + run + " of " + runs);
                    if (runs > 1) {
                        probes.computeIfAbsent(key, k -> new ArrayList<>()).add(CoreToCoreProbe.measure());
                    }
                    if (mode == Mode.latency) {
                        LatencyResult r = latency(runner, mechanism, size, nativeBaseline, pinning);
                        latencyRuns.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                        progress.end(String.format(Locale.ROOT, "p50 %.2f µs, p99 %.2f µs", r.p50Nanos() / 1e3,
                                r.p99Nanos() / 1e3));
                    } else {
                        ThroughputResult r = throughput(runner, mechanism, size, nativeBaseline, pinning);
                        throughputRuns.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                        progress.end(String.format(Locale.ROOT, "%,.0f msgs/s, %,.1f MB/s", r.messagesPerSecond(),
                                r.megabytesPerSecond()));
                    }
                }
            }
        }
        List<LatencyResult> latency = new ArrayList<>();
        latencyRuns.forEach((key, results) -> latency.add(runs == 1 ? results.get(0)
                : RunMedian.latency(results, probes.get(key))));
        List<ThroughputResult> throughput = new ArrayList<>();
        throughputRuns.forEach((key, results) -> throughput.add(runs == 1 ? results.get(0)
                : RunMedian.throughput(results, probes.get(key))));
        Report report = new Report(Environment.capture(pinning, baseline), latency, throughput, rated);
        // a file is written as UTF-8; a terminal in a bare C locale cannot show µ
        boolean unicode = output != null || stdoutCanEncode('µ');
        String rendered = report.render(Report.Format.valueOf(format.name().toUpperCase(Locale.ROOT)), unicode);
        if (chart != null) {
            Charts.write(report, chart);
            System.err.println("chart written to " + chart);
        }
        if (output != null) {
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
            System.err.println("results written to " + output);
        } else {
            System.out.print(rendered);
            System.out.flush();
        }
        return 0;
    }

    /** Why {@code mechanism} cannot be measured at {@code size} in this mode, or null if it can. */
    private String skipReason(Mechanism mechanism, int size) {
        String reason = mechanism.cannotCarry(size);
        return reason == null && mode == Mode.throughput ? mechanism.cannotStream() : reason;
    }

    /** One mechanism and size at every {@code --rate}, in turn; warns on stderr, even when quiet, of a rate not held. */
    private List<RateResult> sweep(BenchmarkRunner runner, Mechanism mechanism, int size, String key, Progress progress)
            throws IOException {
        long mechanismWarmup = Math.max(warmup, mechanism.minimumWarmup(size));
        boolean countGiven = spec.commandLine().getParseResult().hasMatchedOption("--messages");
        List<RateResult> results = new ArrayList<>();
        for (double rate : rates) {
            long count = countGiven ? messages : Math.max(MIN_RATE_MESSAGES, Math.round(rate));
            progress.begin(String.format(Locale.ROOT, "%s at %,.0f/s", key, rate));
            RateResult r = runner.rate(mechanism, size, mechanismWarmup, count, rate);
            results.add(r);
            progress.end(String.format(Locale.ROOT, "achieved %,.0f/s, p50 %.2f µs, p99 %.2f µs",
                    r.achievedPerSecond(), r.p50Nanos() / 1e3, r.p99Nanos() / 1e3));
            if (!r.held()) {
                System.err.printf(Locale.ROOT, "warning: %s could not hold %,.0f messages a second (achieved %,.0f): "
                        + "its latencies include the growing backlog%n", key, rate, r.achievedPerSecond());
            }
        }
        return results;
    }

    private LatencyResult latency(BenchmarkRunner runner, Mechanism mechanism, int size, NativeBaseline nativeBaseline,
                                  Pinning pinning) throws IOException {
        long mechanismWarmup = Math.max(warmup, mechanism.minimumWarmup(size));
        LatencyResult r = runner.latency(mechanism, size, mechanismWarmup, roundTrips);
        if (nativeBaseline != null && nativeBaseline.supports(mechanism.id(), false)) {
            r = r.withBaseline(nativeBaseline.latency(mechanism.id(), size, roundTrips, mechanismWarmup, pinning));
        }
        return r;
    }

    private ThroughputResult throughput(BenchmarkRunner runner, Mechanism mechanism, int size,
                                        NativeBaseline nativeBaseline, Pinning pinning) throws IOException {
        long mechanismWarmup = Math.max(warmup, mechanism.minimumWarmup(size));
        long mechanismMessages = Math.max(messages, mechanism.minimumMessages(size));
        ThroughputResult r = runner.throughput(mechanism, size, mechanismWarmup, mechanismMessages);
        if (nativeBaseline != null && nativeBaseline.supports(mechanism.id(), true)) {
            r = r.withBaseline(nativeBaseline.throughput(mechanism.id(), size, mechanismMessages, mechanismWarmup,
                    pinning));
        }
        return r;
    }

    private static boolean stdoutCanEncode(char c) {
        String encoding = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            java.nio.charset.Charset charset = encoding != null ? java.nio.charset.Charset.forName(encoding)
                    : java.nio.charset.Charset.defaultCharset();
            return charset.newEncoder().canEncode(c);
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    private List<Mechanism> selectedMechanisms() {
        if (mechanisms == null || mechanisms.isEmpty()) {
            return Mechanisms.defaults();
        }
        List<Mechanism> selected = new ArrayList<>();
        for (String id : mechanisms) {
            selected.add(Mechanisms.byId(id.strip()));
        }
        return selected;
    }

    /** {@code --sizes}, or for a signal, which carries no bytes (or one int), just what it really carries. */
    private List<Integer> sizesFor(Mechanism mechanism) {
        return mechanism.fixedMessageSize() < 0 ? sizes : List.of(mechanism.fixedMessageSize());
    }

    private void validate(Pinning pinning) {
        for (int size : sizes) {
            if (size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("--sizes: " + size + " is outside 1.." + MAX_SIZE + " bytes");
            }
        }
        if (roundTrips < 1) {
            throw new IllegalArgumentException("--round-trips " + roundTrips + " must be at least 1");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + " must not be negative");
        }
        if (mode == Mode.rate) {
            if (rates == null || rates.isEmpty()) {
                throw new IllegalArgumentException("--mode rate needs --rate MSGS_PER_S[,…]");
            }
            for (double rate : rates) {
                if (!(rate > 0) || rate > MAX_RATE) {
                    throw new IllegalArgumentException("--rate " + rate + " is outside (0, " + (long) MAX_RATE + "]");
                }
            }
            if (runs != 1) {
                throw new IllegalArgumentException("--runs applies to --mode latency and throughput");
            }
            if (!baseline.equals("none")) {
                throw new IllegalArgumentException("--baseline applies to --mode latency and throughput");
            }
        } else if (rates != null) {
            throw new IllegalArgumentException("--rate applies to --mode rate");
        }
        if (runs < 1 || runs > MAX_RUNS) {
            throw new IllegalArgumentException("--runs " + runs + " must be 1.." + MAX_RUNS);
        }
        if (messages < 1) {
            throw new IllegalArgumentException("--messages " + messages + " must be at least 1");
        }
        if (pinning.cpusNeeded() > Pinning.cpusAllowed()) {
            throw new IllegalArgumentException("--pin " + pinning.argument() + " needs " + pinning.cpusNeeded()
                    + " CPUs; this process may use " + Pinning.cpusAllowed());
        }
        if (chart != null && !chart.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--chart " + chart + " must name a .png file");
        }
        if (!BASELINES.contains(baseline)) {
            throw new IllegalArgumentException("--baseline " + baseline + " is not one of: "
                    + String.join(", ", BASELINES));
        }
    }

    /** The mechanism ids, for help and completion. */
    static final class MechanismIds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Mechanisms.all().stream().map(Mechanism::id).iterator();
        }
    }
}
