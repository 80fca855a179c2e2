package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.github.ipcatlas.core.CpuAffinity;

/**
 * Where the two sides of a measurement run ({@code --pin}). Only the two threads that exchange messages are pinned;
 * the JVMs' other threads (the JIT, the collector) go where the scheduler puts them.
 */
public enum Pinning {
    /** Both sides left to the scheduler, which may move them at any time. */
    NONE(0),
    /**
     * The measuring side on the first CPU this process may use, the peer on the second: the cost of crossing between
     * two cores. "May use": within what {@code taskset} or a container allows, so {@code taskset -c 2,3} pins to 2
     * and 3.
     */
    SPLIT(2),
    /**
     * Both sides on the first CPU this process may use: every hand-over is a context switch, the case for a mechanism
     * that sleeps in the kernel (and the worst case for one that spins, which burns the time slice its peer needs).
     */
    SAME(1);

    private final int cpusNeeded;

    Pinning(int cpusNeeded) {
        this.cpusNeeded = cpusNeeded;
    }

    /** The measuring thread's CPU, or -1 for none. */
    public int benchmarkCpu() {
        return this == NONE ? -1 : allowed()[0];
    }

    /** The peer's serving thread's CPU, or -1 for none. */
    public int peerCpu() {
        return this == NONE ? -1 : allowed()[this == SPLIT ? 1 : 0];
    }

    /** How many CPUs this needs. */
    public int cpusNeeded() {
        return cpusNeeded;
    }

    /** How many CPUs this process may use. */
    public static int cpusAllowed() {
        return Allowed.CPUS.length;
    }

    /** The lower-case name {@code --pin} takes. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For the results: {@code none}, or the choice and its CPUs, benchmark side first ({@code split:0/1}). */
    public String description() {
        return this == NONE ? "none" : argument() + ":" + benchmarkCpu() + "/" + peerCpu();
    }

    /** What the C baseline takes: {@code none}, or the two CPUs, {@code BENCHMARK,PEER}. */
    public String cpuArgument() {
        return this == NONE ? "none" : benchmarkCpu() + "," + peerCpu();
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

    private int[] allowed() {
        if (Allowed.CPUS.length < cpusNeeded) {
            throw new IllegalStateException("--pin " + argument() + " needs " + cpusNeeded + " CPUs; this process may "
                    + "use " + Arrays.toString(Allowed.CPUS));
        }
        return Allowed.CPUS;
    }

    /** Read once, when a pinning is first used. */
    private static final class Allowed {
        static final int[] CPUS = read();

        private static int[] read() {
            try {
                return CpuAffinity.allowedCpus();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
