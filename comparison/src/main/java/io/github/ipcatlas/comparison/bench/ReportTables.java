package io.github.ipcatlas.comparison.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rows of a report's latency and throughput tables, as text cells, and the two ways they are laid out: aligned
 * columns for a terminal, and Markdown. The header row comes first. "CPU" is the measuring thread's, "peer CPU" the
 * serving thread's; "C CPU" is both processes' of the C twin, to set against their sum.
 */
final class ReportTables {
    private ReportTables() {
    }

    static List<List<String>> latency(List<LatencyResult> results, String unit) {
        List<List<String>> rows = new ArrayList<>();
        boolean baseline = results.stream().anyMatch(r -> r.nativeBaseline() != null);
        boolean runs = results.stream().anyMatch(r -> r.spread() != null);
        List<String> header = new ArrayList<>(List.of("mechanism", "scope", "size B", "round trips",
                "p50 " + unit, "p90 " + unit, "p99 " + unit, "p99.9 " + unit, "max " + unit, "alloc B/rt", "GCs",
                "CPU " + unit + "/rt", "peer CPU " + unit + "/rt"));
        if (runs) {
            header.addAll(List.of("runs", "p50 min–max " + unit, "core-to-core ns"));
        }
        if (baseline) {
            header.addAll(List.of("C p50 " + unit, "C p99 " + unit, "Java/C p50", "C CPU " + unit + "/rt"));
        }
        rows.add(header);
        for (LatencyResult r : results) {
            List<String> row = new ArrayList<>(List.of(r.mechanism(), r.scope(), str(r.sizeBytes()),
                    str(r.roundTrips()), micros(r.p50Nanos()), micros(r.p90Nanos()), micros(r.p99Nanos()),
                    micros(r.p999Nanos()), micros(r.maxNanos()), fixed(r.allocatedBytesPerRoundTrip()),
                    str(r.gcCount()), micros(Math.round(r.cpuNanosPerRoundTrip())),
                    micros(Math.round(r.peerCpuNanosPerRoundTrip()))));
            if (runs) {
                RunSpread spread = r.spread();
                row.addAll(spread == null ? List.of("-", "-", "-") : List.of(str(spread.runs()),
                        micros(Math.round(spread.min())) + "–" + micros(Math.round(spread.max())),
                        probe(spread)));
            }
            if (baseline) {
                NativeBaseline.Baseline b = r.nativeBaseline();
                row.addAll(b == null ? List.of("-", "-", "-", "-") : List.of(micros(b.p50Nanos()), micros(b.p99Nanos()),
                        fixed(r.javaOverNativeP50()), micros(Math.round(b.cpuNanosPerRoundTrip()))));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<List<String>> throughput(List<ThroughputResult> results) {
        List<List<String>> rows = new ArrayList<>();
        boolean baseline = results.stream().anyMatch(r -> r.nativeBaseline() != null);
        boolean runs = results.stream().anyMatch(r -> r.spread() != null);
        List<String> header = new ArrayList<>(List.of("mechanism", "scope", "size B", "messages", "msgs/s",
                "MB/s", "receiver msgs/s", "alloc B/msg", "GCs", "CPU ns/msg", "peer CPU ns/msg"));
        if (runs) {
            header.addAll(List.of("runs", "msgs/s min–max", "core-to-core ns"));
        }
        if (baseline) {
            header.addAll(List.of("C msgs/s", "Java/C msgs/s", "C CPU ns/msg"));
        }
        rows.add(header);
        for (ThroughputResult r : results) {
            List<String> row = new ArrayList<>(List.of(r.mechanism(), r.scope(), str(r.sizeBytes()),
                    str(r.messages()), grouped(r.messagesPerSecond()),
                    String.format(Locale.ROOT, "%,.1f", r.megabytesPerSecond()), grouped(r.receiverMessagesPerSecond()),
                    fixed(r.allocatedBytesPerMessage()), str(r.gcCount()), grouped(r.cpuNanosPerMessage()),
                    grouped(r.peerCpuNanosPerMessage())));
            if (runs) {
                RunSpread spread = r.spread();
                row.addAll(spread == null ? List.of("-", "-", "-") : List.of(str(spread.runs()),
                        grouped(spread.min()) + "–" + grouped(spread.max()), probe(spread)));
            }
            if (baseline) {
                NativeBaseline.ThroughputBaseline b = r.nativeBaseline();
                row.addAll(b == null ? List.of("-", "-", "-") : List.of(grouped(b.messagesPerSecond()),
                        fixed(r.javaOverNative()), grouped(b.cpuNanosPerMessage())));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<List<String>> rate(List<RateResult> results, String unit) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("mechanism", "scope", "size B", "rate/s", "achieved/s", "held", "p50 " + unit, "p90 " + unit,
                "p99 " + unit, "p99.9 " + unit, "max " + unit, "closed-loop p50 " + unit, "closed-loop p99 " + unit,
                "alloc B/msg"));
        for (RateResult r : results) {
            rows.add(List.of(r.mechanism(), r.scope(), str(r.sizeBytes()), grouped(r.ratePerSecond()),
                    grouped(r.achievedPerSecond()), r.held() ? "yes" : "NO", micros(r.p50Nanos()),
                    micros(r.p90Nanos()), micros(r.p99Nanos()), micros(r.p999Nanos()), micros(r.maxNanos()),
                    micros(r.uncorrectedP50Nanos()), micros(r.uncorrectedP99Nanos()),
                    fixed(r.allocatedBytesPerMessage())));
        }
        return rows;
    }

    /** Columns padded to their widest cell: text left, numbers right. */
    static String aligned(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                out.append(i < 2 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell));
                out.append(i + 1 < row.size() ? "  " : "\n");
            }
        }
        return out.toString();
    }

    static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append(rows.get(0).stream().map(c -> "---").collect(Collectors.joining("|")))
                        .append("|\n");
            }
        }
        return out.toString();
    }

    private static String probe(RunSpread spread) {
        return Double.isNaN(spread.coreToCoreNanos()) ? "-" : grouped(spread.coreToCoreNanos());
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1000.0);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String grouped(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String str(long value) {
        return Long.toString(value);
    }
}
