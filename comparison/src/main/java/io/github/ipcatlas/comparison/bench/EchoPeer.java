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
        AllocationMeter meter = AllocationMeter.start();
        long receiveNanos = 0;
        if (mode.echo()) {
            while (receiveOrEnd(link, buffer.clear())) {
                link.send(buffer.flip());
            }
        } else {
            if (mode.warmup() > 0) {
                receive(link, buffer, mode.warmup());
                link.send(buffer.flip());
            }
            link.receive(buffer.clear());
            long first = System.nanoTime();
            receive(link, buffer, mode.messages() - 1);
            receiveNanos = System.nanoTime() - first;
            link.send(buffer.flip());
            receiveOrEnd(link, buffer.clear());
        }
        return new PeerStats(meter.allocatedBytes(), meter.collections(), receiveNanos);
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
