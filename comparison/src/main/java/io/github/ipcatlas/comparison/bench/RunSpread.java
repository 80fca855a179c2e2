package io.github.ipcatlas.comparison.bench;

/**
 * How the runs of one measurement repeated with {@code --runs} spread: how many there were, the smallest and largest
 * of the figure the median run was chosen by (p50 nanoseconds for latency, messages per second for throughput), and
 * the core-to-core round trip measured just before the median run ({@link CoreToCoreProbe}; NaN where it could not
 * be measured).
 */
public record RunSpread(int runs, double min, double max, double coreToCoreNanos) {
}
