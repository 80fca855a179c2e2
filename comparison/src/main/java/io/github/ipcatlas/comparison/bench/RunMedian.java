package io.github.ipcatlas.comparison.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The median of the runs of one measurement repeated with {@code --runs}: the run whose figure (p50 for latency,
 * messages per second for throughput) is the middle one, reported whole — every other column is that run's — with the
 * spread of all runs. With an even number of runs the lower of the two middle ones is taken, so the median is always
 * a run that happened.
 */
public final class RunMedian {
    private RunMedian() {
    }

    /**
     * The median latency run, with its spread.
     *
     * @param runs        the runs, in the order they were made
     * @param coreToCore  the core-to-core round trip measured before each run, in the same order
     */
    public static LatencyResult latency(List<LatencyResult> runs, List<Double> coreToCore) {
        int median = medianIndex(runs, r -> r.p50Nanos());
        return runs.get(median).withSpread(spread(runs, coreToCore, median, r -> r.p50Nanos()));
    }

    /** The median throughput run (by messages per second), with its spread; as {@link #latency}. */
    public static ThroughputResult throughput(List<ThroughputResult> runs, List<Double> coreToCore) {
        int median = medianIndex(runs, ThroughputResult::messagesPerSecond);
        return runs.get(median).withSpread(spread(runs, coreToCore, median, ThroughputResult::messagesPerSecond));
    }

    private static <T> int medianIndex(List<T> runs, ToDoubleFunction<T> figure) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to take the median of");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> figure.applyAsDouble(runs.get(i))));
        return order.get((runs.size() - 1) / 2);
    }

    private static <T> RunSpread spread(List<T> runs, List<Double> coreToCore, int median, ToDoubleFunction<T> figure) {
        if (coreToCore.size() != runs.size()) {
            throw new IllegalArgumentException(coreToCore.size() + " probes for " + runs.size() + " runs");
        }
        double min = runs.stream().mapToDouble(figure).min().orElseThrow();
        double max = runs.stream().mapToDouble(figure).max().orElseThrow();
        return new RunSpread(runs.size(), min, max, coreToCore.get(median));
    }
}
