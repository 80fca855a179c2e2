package io.github.ipcatlas.comparison.bench;

import java.util.List;

/**
 * The results of one run and the environment they were measured in, rendered in each output format: aligned columns
 * for a terminal, CSV ({@link CsvReport}), JSON ({@link JsonReport}) and Markdown with the write-up's claims checked
 * against the figures ({@link WriteUpClaims}).
 */
public record Report(Environment environment, List<LatencyResult> latency, List<ThroughputResult> throughput,
                     List<RateResult> rate) {

    /** A report of latency and throughput results only. */
    public Report(Environment environment, List<LatencyResult> latency, List<ThroughputResult> throughput) {
        this(environment, latency, throughput, List.of());
    }

    /** The output formats of {@code --format}. */
    public enum Format { TABLE, CSV, JSON, MARKDOWN }

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
            case CSV -> CsvReport.render(this);
            case JSON -> JsonReport.render(this);
            case MARKDOWN -> markdown(micro);
        };
    }

    private String table(String micro) {
        StringBuilder out = new StringBuilder();
        environment.facts().forEach((k, v) -> out.append("# ").append(k).append(": ").append(v).append('\n'));
        if (!latency.isEmpty()) {
            out.append('\n').append(ReportTables.aligned(ReportTables.latency(latency, micro)));
        }
        if (!throughput.isEmpty()) {
            out.append('\n').append(ReportTables.aligned(ReportTables.throughput(throughput)));
        }
        if (!rate.isEmpty()) {
            out.append('\n').append(ReportTables.aligned(ReportTables.rate(rate, micro)));
        }
        return out.toString();
    }

    private String markdown(String micro) {
        StringBuilder out = new StringBuilder("## Environment\n\n");
        environment.facts().forEach((k, v) -> out.append("- ").append(k).append(": `").append(v).append("`\n"));
        if (!latency.isEmpty()) {
            out.append("\n## Round-trip latency\n\n").append(ReportTables.markdown(ReportTables.latency(latency, micro)));
            out.append(WriteUpClaims.processesAgainstThreads(latency, micro));
        }
        if (!throughput.isEmpty()) {
            out.append("\n## Throughput\n\n").append(ReportTables.markdown(ReportTables.throughput(throughput)));
            out.append(WriteUpClaims.bulkData(throughput, micro));
        }
        if (!rate.isEmpty()) {
            out.append("\n## Latency under load\n\n").append(ReportTables.markdown(ReportTables.rate(rate, micro)));
        }
        return out.toString();
    }
}
