package io.github.ipcatlas.comparison.bench;

import static io.github.ipcatlas.comparison.bench.ReportTables.micros;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The write-up's two claims about cost, restated with what a run measured (the Markdown report's closing sections). */
final class WriteUpClaims {
    private WriteUpClaims() {
    }

    /**
     * The write-up's closing table (IPC versus thread communication), with its cost row replaced by what was
     * measured: at the smallest message size measured for both processes and threads, the median of the process
     * mechanisms' median round trips against the median of the thread mechanisms'. Mechanisms that carry a size of
     * their own (a signal's 0 or 4 bytes) are listed but left out of the medians.
     */
    static String processesAgainstThreads(List<LatencyResult> everyResult, String micro) {
        List<LatencyResult> latency = everyResult.stream().filter(r -> !Mechanisms.isPeer(r.mechanism())).toList();
        java.util.Set<Integer> threadSizes = latency.stream().filter(r -> r.scope().equals("thread"))
                .map(LatencyResult::sizeBytes).collect(Collectors.toSet());
        int size = latency.stream().filter(r -> r.scope().equals("process")).mapToInt(LatencyResult::sizeBytes)
                .filter(threadSizes::contains).min().orElse(-1);
        List<LatencyResult> processes = latency.stream().filter(r -> r.sizeBytes() == size && r.scope().equals("process")).toList();
        List<LatencyResult> threads = latency.stream().filter(r -> r.sizeBytes() == size && r.scope().equals("thread")).toList();
        if (processes.isEmpty() || threads.isEmpty()) {
            return "";
        }
        long processMedian = median(processes);
        long threadMedian = median(threads);
        LatencyResult fastestProcess = processes.stream().min(java.util.Comparator.comparingLong(LatencyResult::p50Nanos)).get();
        LatencyResult fastestThread = threads.stream().min(java.util.Comparator.comparingLong(LatencyResult::p50Nanos)).get();
        String times = times(micro);
        String cost = String.format(Locale.ROOT, "measured here: the median process round trip (%s %s) is %.1f%s the "
                + "median thread hand-off (%s %s) at %d bytes; fastest: %s %s %s against %s %s %s",
                micros(processMedian), micro, (double) processMedian / threadMedian, times, micros(threadMedian), micro,
                size, fastestProcess.mechanism(), micros(fastestProcess.p50Nanos()), micro, fastestThread.mechanism(),
                micros(fastestThread.p50Nanos()), micro);
        String elsewhere = latency.stream().filter(r -> r.scope().equals("process") && !threadSizes.contains(r.sizeBytes()))
                .map(r -> r.mechanism() + " (" + r.sizeBytes() + " B) " + micros(r.p50Nanos()) + " " + micro)
                .distinct().collect(Collectors.joining(", "));
        if (!elsewhere.isEmpty()) {
            cost += "; not in the medians, at sizes of their own: " + elsewhere;
        }
        return "\n## The write-up's table, with measured figures\n\n"
                + "| | inter-process communication (IPC) | thread communication |\n|---|---|---|\n"
                + "| memory space | each process has its own; nothing is shared unless mapped | threads share their process's memory |\n"
                + "| mechanisms measured | " + ids(processes) + " | " + ids(threads) + " |\n"
                + "| cost (write-up: IPC usually costs more) | " + cost + " | |\n"
                + "| use cases | multi-process applications, isolation, other languages, other hosts | concurrent I/O, splitting work inside one program |\n"
                + "| data sharing | by copying through the kernel, or by mapping the same pages | direct, made safe by synchronisation |\n";
    }

    /**
     * The write-up's other claim — shared memory and mapped files are the efficient way to move a lot of data —
     * checked at the largest size streamed: each shared-memory or mapping mechanism's MB/s against the pipe's.
     */
    static String bulkData(List<ThroughputResult> everyResult, String micro) {
        List<ThroughputResult> throughput = everyResult.stream().filter(r -> !Mechanisms.isPeer(r.mechanism()))
                .toList();
        String times = times(micro);
        int size = throughput.stream().mapToInt(ThroughputResult::sizeBytes).max().orElse(0);
        ThroughputResult pipe = throughput.stream().filter(r -> r.sizeBytes() == size && r.mechanism().equals("pipe"))
                .findFirst().orElse(null);
        if (pipe == null) {
            return "";
        }
        String rows = throughput.stream().filter(r -> r.sizeBytes() == size && !r.mechanism().equals("pipe"))
                .map(r -> String.format(Locale.ROOT, "| %s | %,.1f | %.2f |%n", r.mechanism(), r.megabytesPerSecond(),
                        r.megabytesPerSecond() / pipe.megabytesPerSecond()))
                .collect(Collectors.joining());
        return String.format(Locale.ROOT, "%n## The write-up's claim on bulk data, checked%n%n"
                + "\"Shared memory (and mapped files) are efficient for passing large amounts of data\": one-way "
                + "streaming of %d-byte messages, each mechanism against the pipe (%,.1f MB/s).%n%n"
                + "| mechanism | MB/s | %s pipe |%n|---|---|---|%n%s", size, pipe.megabytesPerSecond(), times, rows);
    }

    /** The multiplication sign, in ASCII when microseconds are written {@code us}. */
    private static String times(String micro) {
        return micro.equals("µs") ? "×" : "x";
    }

    private static long median(List<LatencyResult> results) {
        long[] p50s = results.stream().mapToLong(LatencyResult::p50Nanos).sorted().toArray();
        int middle = p50s.length / 2;
        return p50s.length % 2 == 1 ? p50s[middle] : (p50s[middle - 1] + p50s[middle]) / 2;
    }

    private static String ids(List<LatencyResult> results) {
        return results.stream().map(LatencyResult::mechanism).collect(Collectors.joining(", "));
    }
}
