package io.github.ipcatlas.comparison.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the two sides of a measurement run ({@code --pin}). Only the two threads that exchange messages are pinned;
 * the JVMs' other threads (the JIT, the collector) go where the scheduler puts them.
 */
public enum Pinning {
    /** Both sides left to the scheduler, which may move them at any time. */
    NONE(-1, -1),
    /** The measuring side on CPU 0, the peer on CPU 1: the cost of crossing between two cores. */
    SPLIT(0, 1),
    /**
     * Both sides on CPU 0: every hand-over is a context switch, the case for a mechanism that sleeps in the kernel
     * (and the worst case for one that spins, which burns the time slice its peer needs).
     */
    SAME(0, 0);

    private final int benchmarkCpu;
    private final int peerCpu;

    Pinning(int benchmarkCpu, int peerCpu) {
        this.benchmarkCpu = benchmarkCpu;
        this.peerCpu = peerCpu;
    }

    /** The measuring thread's CPU, or -1 for none. */
    public int benchmarkCpu() {
        return benchmarkCpu;
    }

    /** The peer's serving thread's CPU, or -1 for none. */
    public int peerCpu() {
        return peerCpu;
    }

    /** How many CPUs this needs. */
    public int cpusNeeded() {
        return Math.max(benchmarkCpu, peerCpu) + 1;
    }

    /** The lower-case name {@code --pin} and the C baseline take. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pinning named {@code argument} ({@code none}, {@code split} or {@code same}). */
    public static Pinning parse(String argument) {
        for (Pinning pinning : values()) {
            if (pinning.argument().equals(argument)) {
                return pinning;
            }
        }
        throw new IllegalArgumentException("--pin " + argument + " is not one of: "
                + Arrays.stream(values()).map(Pinning::argument).collect(Collectors.joining(", ")));
    }
}
