package io.github.ipcatlas.comparison.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The results of one run and the environment they were measured in, in each output format. */
public record Report(Environment environment, List<LatencyResult> latency, List<ThroughputResult> throughput) {

    /** The output formats of {@code --format}. */
    public enum Format { TABLE, CSV, JSON, MARKDOWN }

    static final String LATENCY_CSV_HEADER = "mechanism,scope,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,"
            + "max_ns,mean_ns,alloc_bytes_per_op,gc_count,peer_alloc_bytes_session,peer_gc_count,cpu_ns_per_op";
    static final String BASELINE_CSV_HEADER = "c_p50_ns,c_p99_ns,java_over_c_p50,c_cpu_ns_per_op";
    static final String THROUGHPUT_CSV_HEADER = "mechanism,scope,size_bytes,messages,msgs_per_s,mb_per_s,"
            + "receiver_msgs_per_s,alloc_bytes_per_op,gc_count,cpu_ns_per_op";
    static final String THROUGHPUT_BASELINE_CSV_HEADER = "c_msgs_per_s,java_over_c_msgs_per_s,c_cpu_ns_per_op";

    /** Renders the report, with microseconds written {@code µs}. */
    public String render(Format format) {
        return render(format, true);
    }

    /**
     * Renders the report; {@code unicode} false writes microseconds as {@code us}, for a terminal whose encoding has no
     * {@code µ} (a bare C locale).
     */
    public String render(Format format, boolean unicode) {
        String micro = unicode ? "µs" : "us";
        return switch (format) {
            case TABLE -> table(micro);
            case CSV -> csv();
            case JSON -> json();
            case MARKDOWN -> markdown(micro);
        };
    }

    private String table(String micro) {
        StringBuilder out = new StringBuilder();
        environment.facts().forEach((k, v) -> out.append("# ").append(k).append(": ").append(v).append('\n'));
        if (!latency.isEmpty()) {
            out.append('\n').append(align(latencyTable(micro)));
        }
        if (!throughput.isEmpty()) {
            out.append('\n').append(align(throughputTable()));
        }
        return out.toString();
    }

    private String markdown(String micro) {
        StringBuilder out = new StringBuilder("## Environment\n\n");
        environment.facts().forEach((k, v) -> out.append("- ").append(k).append(": `").append(v).append("`\n"));
        if (!latency.isEmpty()) {
            out.append("\n## Round-trip latency\n\n").append(markdownTable(latencyTable(micro)));
            out.append(WriteUpClaims.processesAgainstThreads(latency, micro));
        }
        if (!throughput.isEmpty()) {
            out.append("\n## Throughput\n\n").append(markdownTable(throughputTable()));
            out.append(WriteUpClaims.bulkData(throughput, micro));
        }
        return out.toString();
    }

    private String csv() {
        String environmentHeader = String.join(",", environment.facts().keySet());
        String environmentValues = environment.facts().values().stream().map(Report::csvField)
                .collect(Collectors.joining(","));
        StringBuilder out = new StringBuilder();
        if (!latency.isEmpty()) {
            boolean baseline = latency.stream().anyMatch(r -> r.nativeBaseline() != null);
            out.append(LATENCY_CSV_HEADER).append(baseline ? "," + BASELINE_CSV_HEADER : "").append(',')
                    .append(environmentHeader).append('\n');
            for (LatencyResult r : latency) {
                out.append(String.join(",", r.mechanism(), r.scope(), str(r.sizeBytes()), str(r.roundTrips()),
                        str(r.p50Nanos()), str(r.p90Nanos()), str(r.p99Nanos()), str(r.p999Nanos()),
                        str(r.maxNanos()), num(r.meanNanos()), num(r.allocatedBytesPerRoundTrip()), str(r.gcCount()),
                        str(r.peerAllocatedBytes()), str(r.peerGcCount()), num(r.cpuNanosPerRoundTrip())));
                if (baseline) {
                    NativeBaseline.Baseline b = r.nativeBaseline();
                    out.append(',').append(b == null ? ",,," : b.p50Nanos() + "," + b.p99Nanos() + ","
                            + String.format(Locale.ROOT, "%.3f", r.javaOverNativeP50()) + "," + num(b.cpuNanosPerRoundTrip()));
                }
                out.append(',').append(environmentValues).append('\n');
            }
        }
        if (!throughput.isEmpty()) {
            boolean baseline = throughput.stream().anyMatch(r -> r.nativeBaseline() != null);
            out.append(THROUGHPUT_CSV_HEADER).append(baseline ? "," + THROUGHPUT_BASELINE_CSV_HEADER : "").append(',')
                    .append(environmentHeader).append('\n');
            for (ThroughputResult r : throughput) {
                out.append(String.join(",", r.mechanism(), r.scope(), str(r.sizeBytes()), str(r.messages()),
                        num(r.messagesPerSecond()), num(r.megabytesPerSecond()), num(r.receiverMessagesPerSecond()),
                        num(r.allocatedBytesPerMessage()), str(r.gcCount()), num(r.cpuNanosPerMessage())));
                if (baseline) {
                    NativeBaseline.ThroughputBaseline b = r.nativeBaseline();
                    out.append(',').append(b == null ? ",," : num(b.messagesPerSecond()) + ","
                            + String.format(Locale.ROOT, "%.3f", r.javaOverNative()) + "," + num(b.cpuNanosPerMessage()));
                }
                out.append(',').append(environmentValues).append('\n');
            }
        }
        return out.toString();
    }

    private String json() {
        StringBuilder out = new StringBuilder("{\n  \"environment\": ");
        out.append(jsonObject(environment.facts()));
        out.append(",\n  \"latency\": [");
        out.append(latency.stream().map(r -> "\n    " + jsonRecord(r)).collect(Collectors.joining(",")));
        out.append(latency.isEmpty() ? "]" : "\n  ]");
        out.append(",\n  \"throughput\": [");
        out.append(throughput.stream().map(r -> "\n    " + jsonRecord(r)).collect(Collectors.joining(",")));
        out.append(throughput.isEmpty() ? "]" : "\n  ]");
        return out.append("\n}\n").toString();
    }

    private List<List<String>> latencyTable(String unit) {
        List<List<String>> rows = new java.util.ArrayList<>();
        boolean baseline = latency.stream().anyMatch(r -> r.nativeBaseline() != null);
        List<String> header = new java.util.ArrayList<>(List.of("mechanism", "scope", "size B", "round trips",
                "p50 " + unit, "p90 " + unit, "p99 " + unit, "p99.9 " + unit, "max " + unit, "alloc B/rt", "GCs",
                "CPU " + unit + "/rt"));
        if (baseline) {
            header.addAll(List.of("C p50 " + unit, "C p99 " + unit, "Java/C p50", "C CPU " + unit + "/rt"));
        }
        rows.add(header);
        for (LatencyResult r : latency) {
            List<String> row = new java.util.ArrayList<>(List.of(r.mechanism(), r.scope(), str(r.sizeBytes()),
                    str(r.roundTrips()), micros(r.p50Nanos()), micros(r.p90Nanos()), micros(r.p99Nanos()),
                    micros(r.p999Nanos()), micros(r.maxNanos()),
                    String.format(Locale.ROOT, "%.2f", r.allocatedBytesPerRoundTrip()), str(r.gcCount()),
                    micros(Math.round(r.cpuNanosPerRoundTrip()))));
            if (baseline) {
                NativeBaseline.Baseline b = r.nativeBaseline();
                row.addAll(b == null ? List.of("-", "-", "-", "-") : List.of(micros(b.p50Nanos()), micros(b.p99Nanos()),
                        String.format(Locale.ROOT, "%.2f", r.javaOverNativeP50()),
                        micros(Math.round(b.cpuNanosPerRoundTrip()))));
            }
            rows.add(row);
        }
        return rows;
    }

    private List<List<String>> throughputTable() {
        List<List<String>> rows = new java.util.ArrayList<>();
        boolean baseline = throughput.stream().anyMatch(r -> r.nativeBaseline() != null);
        List<String> header = new java.util.ArrayList<>(List.of("mechanism", "scope", "size B", "messages", "msgs/s",
                "MB/s", "receiver msgs/s", "alloc B/msg", "GCs", "CPU ns/msg"));
        if (baseline) {
            header.addAll(List.of("C msgs/s", "Java/C msgs/s", "C CPU ns/msg"));
        }
        rows.add(header);
        for (ThroughputResult r : throughput) {
            List<String> row = new java.util.ArrayList<>(List.of(r.mechanism(), r.scope(), str(r.sizeBytes()),
                    str(r.messages()), String.format(Locale.ROOT, "%,.0f", r.messagesPerSecond()),
                    String.format(Locale.ROOT, "%,.1f", r.megabytesPerSecond()),
                    String.format(Locale.ROOT, "%,.0f", r.receiverMessagesPerSecond()),
                    String.format(Locale.ROOT, "%.2f", r.allocatedBytesPerMessage()), str(r.gcCount()),
                    String.format(Locale.ROOT, "%,.0f", r.cpuNanosPerMessage())));
            if (baseline) {
                NativeBaseline.ThroughputBaseline b = r.nativeBaseline();
                row.addAll(b == null ? List.of("-", "-", "-") : List.of(
                        String.format(Locale.ROOT, "%,.0f", b.messagesPerSecond()),
                        String.format(Locale.ROOT, "%.2f", r.javaOverNative()),
                        String.format(Locale.ROOT, "%,.0f", b.cpuNanosPerMessage())));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String align(List<List<String>> rows) {
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
                // text left, numbers right
                out.append(i < 2 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell));
                out.append(i + 1 < row.size() ? "  " : "\n");
            }
        }
        return out.toString();
    }

    private static String markdownTable(List<List<String>> rows) {
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

    private static String jsonRecord(Record record) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (var component : record.getClass().getRecordComponents()) {
            try {
                fields.put(component.getName(), component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return jsonObject(fields);
    }

    private static String jsonObject(Map<String, ?> fields) {
        return fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + jsonValue(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String jsonValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Record nested) {
            return jsonRecord(nested);
        }
        if (value instanceof Double d && d.isNaN()) {
            return "null";
        }
        if (value instanceof Number number) {
            return number instanceof Double d ? num(d) : number.toString();
        }
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1000.0);
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String str(long value) {
        return Long.toString(value);
    }
}
