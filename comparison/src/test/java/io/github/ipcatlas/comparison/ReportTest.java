package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.github.ipcatlas.comparison.bench.Environment;
import io.github.ipcatlas.comparison.bench.LatencyResult;
import io.github.ipcatlas.comparison.bench.NativeBaseline;
import io.github.ipcatlas.comparison.bench.RateResult;
import io.github.ipcatlas.comparison.bench.Report;
import io.github.ipcatlas.comparison.bench.RunSpread;
import io.github.ipcatlas.comparison.bench.ThroughputResult;

class ReportTest {
    private static final LatencyResult PIPE = new LatencyResult("pipe", "process", 64, 1000, 17_000, 18_000,
            60_000, 99_000, 2_000_000, 17_500.5, 0.0, 0, 150_000, 0, 16_250.0, 15_750.0, null, null);
    private static final ThroughputResult FIFO = new ThroughputResult("fifo", "process", 4096, 5000, 250_000.0,
            1024.0, 260_000.0, 0.0, 0, 3_900.0, 4_100.0, null, null);

    private final Environment environment = new Environment(facts());

    @Test
    void shouldWriteTheContractualCsvHeadersFollowedByTheEnvironment() {
        String csv = new Report(environment, List.of(PIPE), List.of(FIFO)).render(Report.Format.CSV);

        assertThat(csv.lines()).containsExactly(
                "mechanism,scope,size_bytes,round_trips,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,mean_ns,"
                        + "alloc_bytes_per_op,gc_count,peer_alloc_bytes_session,peer_gc_count,cpu_ns_per_op,"
                        + "peer_cpu_ns_per_op,cpu_model,kernel",
                "pipe,process,64,1000,17000,18000,60000,99000,2000000,17500.50,0.00,0,150000,0,16250.00,15750.00,"
                        + "\"Some CPU, 2 GHz\",Linux 6",
                "mechanism,scope,size_bytes,messages,msgs_per_s,mb_per_s,receiver_msgs_per_s,alloc_bytes_per_op,"
                        + "gc_count,cpu_ns_per_op,peer_cpu_ns_per_op,cpu_model,kernel",
                "fifo,process,4096,5000,250000.00,1024.00,260000.00,0.00,0,3900.00,4100.00,\"Some CPU, 2 GHz\","
                        + "Linux 6");
    }

    @Test
    void shouldSetEachFigureAgainstItsCTwinInBothModes() {
        LatencyResult pipe = PIPE.withBaseline(new NativeBaseline.Baseline(8_500, 9_000, 20_000, 30_000, 90_000, 8_000));
        ThroughputResult shm = new ThroughputResult("shm", "process", 64, 2_000_000, 10e6, 640, 10e6, 0, 0, 180, 170, null, null)
                .withBaseline(new NativeBaseline.ThroughputBaseline(40e6, 50));
        Report report = new Report(environment, List.of(pipe, result("thread-spin", "thread", 100)),
                List.of(shm, FIFO));

        List<String> csv = report.render(Report.Format.CSV).lines().toList();
        assertThat(csv.get(0)).contains(",cpu_ns_per_op,peer_cpu_ns_per_op,c_p50_ns,c_p99_ns,java_over_c_p50,c_cpu_ns_per_op,cpu_model");
        assertThat(csv.get(1)).contains(",16250.00,15750.00,8500,20000,2.000,8000.00,");
        assertThat(csv.get(2)).as("no twin, empty cells").contains(",,,,");
        assertThat(csv.get(3)).contains(",cpu_ns_per_op,peer_cpu_ns_per_op,c_msgs_per_s,java_over_c_msgs_per_s,c_cpu_ns_per_op,cpu_model");
        assertThat(csv.get(4)).startsWith("shm,process,64,2000000,").contains(",180.00,170.00,40000000.00,0.250,50.00,");
        assertThat(report.render(Report.Format.TABLE)).contains("Java/C msgs/s").contains("CPU µs/rt")
                .containsPattern("shm\\s+process.*\\s180\\s+170\\s+40,000,000\\s+0\\.25\\s+50\\n")
                .containsPattern("fifo\\s+process.*\\s3,900\\s+4,100\\s+-\\s+-\\s+-\\n");
    }

    @Test
    void shouldAddTheSpreadOfRepeatedRunsAfterTheJavaColumnsAndBeforeTheCTwins() {
        LatencyResult pipe = PIPE.withSpread(new RunSpread(5, 16_000, 21_000, 128.5))
                .withBaseline(new NativeBaseline.Baseline(8_500, 9_000, 20_000, 30_000, 90_000, 8_000));
        ThroughputResult fifo = FIFO.withSpread(new RunSpread(5, 200_000, 300_000, Double.NaN));
        Report report = new Report(environment, List.of(pipe), List.of(fifo));

        List<String> csv = report.render(Report.Format.CSV).lines().toList();
        assertThat(csv.get(0)).contains(",peer_cpu_ns_per_op,runs,p50_min_ns,p50_max_ns,core_to_core_ns,c_p50_ns,");
        assertThat(csv.get(1)).contains(",15750.00,5,16000,21000,128.50,8500,");
        assertThat(csv.get(2)).contains(",peer_cpu_ns_per_op,runs,msgs_per_s_min,msgs_per_s_max,core_to_core_ns,cpu_model");
        assertThat(csv.get(3)).as("no probe: an empty cell").contains(",4100.00,5,200000.00,300000.00,,");
        assertThat(report.render(Report.Format.TABLE)).contains("p50 min–max µs")
                .containsPattern("pipe\\s+process.*\\s5\\s+16\\.00–21\\.00\\s+129\\s");
    }

    @Test
    void shouldWriteLatencyUnderLoadWithTheContractualRateHeaderAndFlagARateNotHeld() {
        RateResult held = new RateResult("pipe", "process", 64, 10_000, 9_990.5, 10_000, 20_000, 25_000, 60_000,
                90_000, 120_000, 18_000, 50_000, 0.0);
        RateResult behind = new RateResult("pipe", "process", 64, 1_000_000, 80_000, 1_000_000, 900_000_000,
                990_000_000, 999_000_000, 999_000_000, 999_000_000, 18_000, 50_000, 0.0);
        Report report = new Report(environment, List.of(), List.of(), List.of(held, behind));

        List<String> csv = report.render(Report.Format.CSV).lines().toList();
        assertThat(csv.get(0)).startsWith("mechanism,scope,size_bytes,rate_per_s,achieved_per_s,p50_ns,p90_ns,p99_ns,"
                + "p999_ns,max_ns,");
        assertThat(csv.get(1)).startsWith("pipe,process,64,10000.00,9990.50,20000,25000,60000,90000,120000,18000,50000,");
        assertThat(report.render(Report.Format.TABLE)).containsPattern("pipe\\s+process\\s+64\\s+10,000\\s+9,991\\s+yes")
                .containsPattern("1,000,000\\s+80,000\\s+NO");
        assertThat(report.render(Report.Format.MARKDOWN)).contains("## Latency under load");
    }

    @Test
    void shouldAlignATableInMicroseconds() {
        String table = new Report(environment, List.of(PIPE), List.of()).render(Report.Format.TABLE);

        assertThat(table).startsWith("# cpu_model: Some CPU, 2 GHz\n# kernel: Linux 6\n");
        assertThat(table).contains("p50 µs").containsPattern("pipe\\s+process\\s+64\\s+1000\\s+17\\.00\\s+18\\.00");
    }

    @Test
    void shouldWriteJsonThatParsesBackToTheSameStringsAndFigures() throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("jvm_flags", "-Dx=\"quoted\"\\path\u0001\n");
        String json = new Report(new Environment(facts), List.of(PIPE), List.of()).render(Report.Format.JSON);

        Map<String, String> parsed = flatten(json);
        assertThat(parsed).containsEntry("environment.jvm_flags", "-Dx=\"quoted\"\\path\u0001\n")
                .containsEntry("latency.mechanism", "pipe").containsEntry("latency.p50Nanos", "17000")
                .containsEntry("latency.allocatedBytesPerRoundTrip", "0.00").doesNotContainKey("throughput.mechanism");
        assertThat(json).contains("\"throughput\": []").contains("\"mechanism\": \"pipe\"");
    }

    /** Every scalar of {@code json} by its path of field names (array elements share their array's path). */
    private static Map<String, String> flatten(String json) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        java.util.Deque<String> path = new java.util.ArrayDeque<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME) {
                    path.addLast(parser.currentName());
                    continue;
                }
                if (token.isScalarValue()) {
                    values.put(String.join(".", path), parser.getText());
                }
                if (!token.isStructStart() && parser.getParsingContext().inObject() && !path.isEmpty()) {
                    path.removeLast(); // a value is complete: a scalar, or an object or array just closed
                }
            }
        }
        return values;
    }

    @Test
    void shouldWriteMarkdownTables() {
        String markdown = new Report(environment, List.of(PIPE), List.of(FIFO)).render(Report.Format.MARKDOWN);

        assertThat(markdown).contains("## Round-trip latency").contains("| mechanism | scope |")
                .contains("|---|---|").contains("| pipe | process | 64 |").contains("## Throughput");
    }

    @Test
    void shouldFillTheWriteUpsTableWithTheMeasuredCost() {
        LatencyResult pipe = result("pipe", "process", 20_000);
        LatencyResult mmap = result("mmap", "process", 1_000);
        LatencyResult fifo = result("fifo", "process", 22_000);
        LatencyResult spin = result("thread-spin", "thread", 500);
        LatencyResult queue = result("thread-queue", "thread", 9_500);

        String markdown = new Report(environment, List.of(pipe, mmap, fifo, spin, queue), List.of())
                .render(Report.Format.MARKDOWN);

        assertThat(markdown).contains("## The write-up's table, with measured figures")
                .contains("| mechanisms measured | pipe, mmap, fifo | thread-spin, thread-queue |")
                .contains("the median process round trip (20.00 µs) is 4.0× the median thread hand-off (5.00 µs) at 64 bytes")
                .contains("fastest: mmap 1.00 µs against thread-spin 0.50 µs");
    }

    @Test
    void shouldLeavePeerLibrariesOutOfTheWriteUpsClaims() {
        LatencyResult pipe = result("pipe", "process", 20_000);
        LatencyResult mmap = result("mmap", "process", 1_000);
        LatencyResult fifo = result("fifo", "process", 22_000);
        LatencyResult peer = result("peer-agrona-ring", "process", 300); // faster, but not one of the mechanisms
        LatencyResult junixsocket = result("peer-junixsocket", "process", 30_000); // would move the median
        LatencyResult spin = result("thread-spin", "thread", 500);
        LatencyResult queue = result("thread-queue", "thread", 9_500);

        String markdown = new Report(environment, List.of(pipe, mmap, fifo, peer, junixsocket, spin, queue),
                List.of())
                .render(Report.Format.MARKDOWN);

        assertThat(markdown).contains("| peer-agrona-ring | process |").contains("| peer-junixsocket | process |") // listed
                .contains("| mechanisms measured | pipe, mmap, fifo | thread-spin, thread-queue |")
                .contains("the median process round trip (20.00 µs)")
                .contains("fastest: mmap 1.00 µs against thread-spin 0.50 µs");
    }

    @Test
    void shouldKeepSignalsOutOfTheMediansButInTheTable() {
        LatencyResult pipe = result("pipe", "process", 20_000);
        LatencyResult signal = new LatencyResult("signal", "process", 0, 100, 500_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, null, null);
        LatencyResult spin = result("thread-spin", "thread", 1_000);

        String markdown = new Report(environment, List.of(pipe, signal, spin), List.of())
                .render(Report.Format.MARKDOWN);

        assertThat(markdown).contains("the median process round trip (20.00 µs) is 20.0× the median thread hand-off")
                .contains("not in the medians, at sizes of their own: signal (0 B) 500.00 µs");
    }

    @Test
    void shouldCheckTheBulkDataClaimAgainstThePipe() {
        ThroughputResult pipe = new ThroughputResult("pipe", "process", 65536, 100, 10_000, 655.36, 0, 0, 0, 0, 0, null, null);
        ThroughputResult shm = new ThroughputResult("shm", "process", 65536, 100, 30_000, 1966.08, 0, 0, 0, 0, 0, null, null);
        ThroughputResult small = new ThroughputResult("shm", "process", 64, 100, 1_000_000, 64, 0, 0, 0, 0, 0, null, null);

        String markdown = new Report(environment, List.of(), List.of(small, pipe, shm)).render(Report.Format.MARKDOWN);

        assertThat(markdown).contains("## The write-up's claim on bulk data, checked")
                .contains("streaming of 65536-byte messages, each mechanism against the pipe (655.4 MB/s)")
                .contains("| shm | 1,966.1 | 3.00 |");
    }

    @Test
    void shouldWriteMicrosecondsInAsciiWhenAsked() {
        String table = new Report(environment, List.of(PIPE), List.of()).render(Report.Format.TABLE, false);

        assertThat(table).contains("p50 us").doesNotContain("µ");
    }

    @Test
    void shouldLeaveTheWriteUpsTableOutWithoutBothScopes() {
        assertThat(new Report(environment, List.of(PIPE), List.of()).render(Report.Format.MARKDOWN))
                .doesNotContain("write-up's table");
    }

    private static LatencyResult result(String mechanism, String scope, long p50) {
        return new LatencyResult(mechanism, scope, 64, 100, p50, p50, p50, p50, p50, p50, 0, 0, 0, 0, 0, 0, null, null);
    }

    private static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cpu_model", "Some CPU, 2 GHz");
        facts.put("kernel", "Linux 6");
        return facts;
    }
}
