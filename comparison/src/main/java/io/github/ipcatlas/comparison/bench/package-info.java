/**
 * The benchmark harness: one workload for every mechanism (ping-pong latency into an HdrHistogram, one-way
 * throughput), the peer that runs in a child JVM, the environment captured with every result, and the report formats.
 */
package io.github.ipcatlas.comparison.bench;
