package io.github.ipcatlas.comparison.bench;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import io.github.ipcatlas.core.CpuAffinity;

/**
 * The peer process of every process mechanism: opens its side of the mechanism, prints {@code ready}, then echoes
 * each message back (latency) or counts messages and acknowledges the last of the warm-up and of the measured ones
 * (throughput), until the benchmark closes
 * the link. It then prints {@value #STATS} with what it allocated and the collections it saw, and exits 0.
 *
 * <p>Arguments: {@code MECHANISM echo|sink SIZE MESSAGES WARMUP PIN_CPU [mechanism arguments…]}.
 */
public final class EchoPeer {
    /** First word of the statistics line. */
    public static final String STATS = "stats";

    private EchoPeer() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        Mechanism mechanism = Mechanisms.byId(arguments.get(0));
        PeerMode mode = PeerMode.fromArgs(arguments, 1);
        try (Link link = mechanism.accept(arguments.subList(1 + PeerMode.ARGS, arguments.size()))) {
            System.out.println("ready");
            System.out.flush();
            System.out.println(serve(link, mode).format());
        }
    }

    /** Serves one benchmark session on {@code link}; used by thread mechanisms too. */
    public static PeerStats serve(Link link, PeerMode mode) throws java.io.IOException {
        if (mode.pinCpu() >= 0) {
            CpuAffinity.pinCurrentThread(mode.pinCpu());
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(mode.size());
        CpuMeter.start(); // its first use loads JMX classes: not while measuring, nor counted as allocation
        AllocationMeter meter = AllocationMeter.start();
        if (mode.echo()) {
            long cpuNanos = echo(link, buffer, mode.warmup(), mode.warmup() + mode.messages());
            return new PeerStats(meter.allocatedBytes(), meter.collections(), 0, cpuNanos);
        }
        if (mode.warmup() > 0) {
            receive(link, buffer, mode.warmup());
            link.send(buffer.flip());
        }
        link.receive(buffer.clear());
        CpuMeter cpu = CpuMeter.start();
        long first = System.nanoTime();
        receive(link, buffer, mode.messages() - 1);
        long receiveNanos = System.nanoTime() - first;
        long cpuNanos = cpu.nanos();
        link.send(buffer.flip());
        receiveOrEnd(link, buffer.clear());
        return new PeerStats(meter.allocatedBytes(), meter.collections(), receiveNanos, cpuNanos);
    }

    /**
     * Echoes every message until the benchmark closes the link; returns the CPU this thread used from the
     * {@code measuredFrom}-th echo to the {@code measuredTo}-th, or 0 if that span is empty or was not reached.
     */
    private static long echo(Link link, ByteBuffer buffer, long measuredFrom, long measuredTo)
            throws java.io.IOException {
        CpuMeter cpu = measuredFrom == 0 ? CpuMeter.start() : null;
        long cpuNanos = 0;
        for (long echoed = 0; receiveOrEnd(link, buffer.clear()); ) {
            link.send(buffer.flip());
            echoed++;
            if (echoed == measuredFrom) {
                cpu = CpuMeter.start();
            } else if (echoed == measuredTo && cpu != null) {
                cpuNanos = cpu.nanos();
            }
        }
        return measuredTo > measuredFrom ? cpuNanos : 0;
    }

    /** Receives {@code count} messages: one loop for the warm-up and the measured stream, so both run compiled. */
    private static void receive(Link link, ByteBuffer buffer, long count) throws java.io.IOException {
        for (long i = 0; i < count; i++) {
            link.receive(buffer.clear());
        }
    }

    /** Receives one message; false when the benchmark closed the link between messages. */
    private static boolean receiveOrEnd(Link link, ByteBuffer buffer) throws java.io.IOException {
        try {
            link.receive(buffer);
            return true;
        } catch (EOFException end) {
            if (buffer.position() == 0) {
                return false;
            }
            throw end;
        }
    }
}
