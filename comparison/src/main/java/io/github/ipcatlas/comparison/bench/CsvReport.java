package io.github.ipcatlas.comparison.bench;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A report as CSV: one table per kind of result (latency, throughput), each row carrying the environment's facts so
 * that rows from many runs can be concatenated. The column names are a contract scripts rely on ({@code --format csv}
 * in the command's help and the project's design). {@code cpu_ns_per_op} is the measuring thread's CPU per operation,
 * {@code peer_cpu_ns_per_op} the serving thread's; the C twin's {@code c_cpu_ns_per_op} is both its processes'.
 */
final class CsvReport {
    static final String LATENCY_HEADER = "mechanism,scope,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,"
            + "max_ns,mean_ns,alloc_bytes_per_op,gc_count,peer_alloc_bytes_session,peer_gc_count,cpu_ns_per_op,"
            + "peer_cpu_ns_per_op";
    static final String LATENCY_RUNS_HEADER = "runs,p50_min_ns,p50_max_ns,core_to_core_ns";
    static final String LATENCY_BASELINE_HEADER = "c_p50_ns,c_p99_ns,java_over_c_p50,c_cpu_ns_per_op";
    static final String THROUGHPUT_HEADER = "mechanism,scope,size_bytes,messages,msgs_per_s,mb_per_s,"
            + "receiver_msgs_per_s,alloc_bytes_per_op,gc_count,cpu_ns_per_op,peer_cpu_ns_per_op";
    static final String THROUGHPUT_RUNS_HEADER = "runs,msgs_per_s_min,msgs_per_s_max,core_to_core_ns";
    static final String THROUGHPUT_BASELINE_HEADER = "c_msgs_per_s,java_over_c_msgs_per_s,c_cpu_ns_per_op";

    static final String RATE_HEADER = "mechanism,scope,size_bytes,rate_per_s,achieved_per_s,p50_ns,p90_ns,p99_ns,"
            + "p999_ns,max_ns,uncorrected_p50_ns,uncorrected_p99_ns,messages,alloc_bytes_per_op";

    private CsvReport() {
    }

    static String render(Report report) {
        String environmentHeader = String.join(",", report.environment().facts().keySet());
        String environmentValues = report.environment().facts().values().stream().map(CsvReport::field)
                .collect(Collectors.joining(","));
        StringBuilder out = new StringBuilder();
        if (!report.latency().isEmpty()) {
            boolean baseline = report.latency().stream().anyMatch(r -> r.nativeBaseline() != null);
            boolean runs = report.latency().stream().anyMatch(r -> r.spread() != null);
            out.append(LATENCY_HEADER).append(runs ? "," + LATENCY_RUNS_HEADER : "")
                    .append(baseline ? "," + LATENCY_BASELINE_HEADER : "").append(',').append(environmentHeader)
                    .append('\n');
            for (LatencyResult r : report.latency()) {
                out.append(String.join(",", r.mechanism(), r.scope(), str(r.sizeBytes()), str(r.roundTrips()),
                        str(r.p50Nanos()), str(r.p90Nanos()), str(r.p99Nanos()), str(r.p999Nanos()),
                        str(r.maxNanos()), num(r.meanNanos()), num(r.allocatedBytesPerRoundTrip()), str(r.gcCount()),
                        str(r.peerAllocatedBytes()), str(r.peerGcCount()), num(r.cpuNanosPerRoundTrip()),
                        num(r.peerCpuNanosPerRoundTrip())));
                if (runs) {
                    out.append(',').append(spread(r.spread(), true));
                }
                if (baseline) {
                    NativeBaseline.Baseline b = r.nativeBaseline();
                    out.append(',').append(b == null ? ",,," : b.p50Nanos() + "," + b.p99Nanos() + ","
                            + ratio(r.javaOverNativeP50()) + "," + num(b.cpuNanosPerRoundTrip()));
                }
                out.append(',').append(environmentValues).append('\n');
            }
        }
        if (!report.throughput().isEmpty()) {
            boolean baseline = report.throughput().stream().anyMatch(r -> r.nativeBaseline() != null);
            boolean runs = report.throughput().stream().anyMatch(r -> r.spread() != null);
            out.append(THROUGHPUT_HEADER).append(runs ? "," + THROUGHPUT_RUNS_HEADER : "")
                    .append(baseline ? "," + THROUGHPUT_BASELINE_HEADER : "").append(',').append(environmentHeader)
                    .append('\n');
            for (ThroughputResult r : report.throughput()) {
                out.append(String.join(",", r.mechanism(), r.scope(), str(r.sizeBytes()), str(r.messages()),
                        num(r.messagesPerSecond()), num(r.megabytesPerSecond()), num(r.receiverMessagesPerSecond()),
                        num(r.allocatedBytesPerMessage()), str(r.gcCount()), num(r.cpuNanosPerMessage()),
                        num(r.peerCpuNanosPerMessage())));
                if (runs) {
                    out.append(',').append(spread(r.spread(), false));
                }
                if (baseline) {
                    NativeBaseline.ThroughputBaseline b = r.nativeBaseline();
                    out.append(',').append(b == null ? ",," : num(b.messagesPerSecond()) + ","
                            + ratio(r.javaOverNative()) + "," + num(b.cpuNanosPerMessage()));
                }
                out.append(',').append(environmentValues).append('\n');
            }
        }
        if (!report.rate().isEmpty()) {
            out.append(RATE_HEADER).append(',').append(environmentHeader).append('\n');
            for (RateResult r : report.rate()) {
                out.append(String.join(",", r.mechanism(), r.scope(), str(r.sizeBytes()), num(r.ratePerSecond()),
                        num(r.achievedPerSecond()), str(r.p50Nanos()), str(r.p90Nanos()), str(r.p99Nanos()),
                        str(r.p999Nanos()), str(r.maxNanos()), str(r.uncorrectedP50Nanos()),
                        str(r.uncorrectedP99Nanos()), str(r.messages()), num(r.allocatedBytesPerMessage())));
                out.append(',').append(environmentValues).append('\n');
            }
        }
        return out.toString();
    }

    /** The {@code --runs} columns; p50 bounds are whole nanoseconds, as {@code p50_ns}. */
    private static String spread(RunSpread spread, boolean nanos) {
        if (spread == null) {
            return ",,,";
        }
        String min = nanos ? str(Math.round(spread.min())) : num(spread.min());
        String max = nanos ? str(Math.round(spread.max())) : num(spread.max());
        String probe = Double.isNaN(spread.coreToCoreNanos()) ? "" : num(spread.coreToCoreNanos());
        return spread.runs() + "," + min + "," + max + "," + probe;
    }

    /** A field quoted as RFC 4180 asks when it holds a comma or a quote (JVM flags can). */
    private static String field(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String str(long value) {
        return Long.toString(value);
    }
}
