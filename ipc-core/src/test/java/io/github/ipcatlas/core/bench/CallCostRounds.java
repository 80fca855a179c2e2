package io.github.ipcatlas.core.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Arrays;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;

/**
 * The Java half of {@code src/test/c/callcost.c}, in the same shape: rounds that take every path in turn, so drift
 * hits them alike (JMH's {@link CallCostBenchmark} runs one path after the other, and on a VM whose system calls vary
 * by ±20 % from second to second its differences drown). Prints the median round of each path, in ns per call or per
 * write+read, after two rounds of warm-up:
 *
 * <pre>{@code
 * taskset -c 0 java -cp <test classpath> io.github.ipcatlas.core.bench.CallCostRounds [CALLS [ROUNDS]]
 * }</pre>
 *
 * The paths: a 64-byte write and read on a pipe through jnr-ffi's {@link LibC} by address with no check, through
 * {@link BufferIo} (the binding of this JDK, or {@code -Dipcatlas.binding=jnr}), through {@link FdChannel}, and through
 * the JDK's own {@link Pipe}; {@code fcntl(F_GETFL)} and {@code getppid} through jnr-ffi, as in the C twin; and a
 * call alone, into {@code labs}.
 */
public final class CallCostRounds {
    private static final int BYTES = 64;
    private static final int WARM_UP_ROUNDS = 2;
    private static final String[] PATHS = {"write+read, LibC by address", "write+read, BufferIo", "write+read, FdChannel",
        "write+read, JDK Pipe channels", "fcntl(F_GETFL), LibC", "getppid, jnr-ffi", "labs, jnr-ffi (no system call)"};

    /** {@code getppid} and {@code labs}, which LibC does not bind. */
    public interface Extra {
        int getppid();

        long labs(long value);
    }

    private final LibC libc = Native.libc();
    private final Extra extra = NativeLibrary.load(Extra.class, "c");
    private final ByteBuffer out = ByteBuffer.allocateDirect(BYTES);
    private final ByteBuffer in = ByteBuffer.allocateDirect(BYTES);
    private final DirectAddress outAddress = new DirectAddress();
    private final DirectAddress inAddress = new DirectAddress();
    private final BufferIo io = BufferIo.create();
    private final int[] raw = new int[2];
    private final FdChannel reader;
    private final FdChannel writer;
    private final Pipe jdkPipe = Pipe.open();
    private long sink;

    private CallCostRounds() throws IOException {
        int[] channelFds = new int[2];
        if (libc.pipe2(raw, LinuxConstants.O_CLOEXEC) != 0 || libc.pipe2(channelFds, LinuxConstants.O_CLOEXEC) != 0) {
            throw new IOException("pipe2 failed: errno " + Native.errno());
        }
        reader = new FdChannel(channelFds[0], "read end");
        writer = new FdChannel(channelFds[1], "write end");
    }

    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        if (calls < 1 || rounds < 1) {
            throw new IllegalArgumentException("CALLS " + calls + " and ROUNDS " + rounds + " must be at least 1");
        }
        CallCostRounds paths = new CallCostRounds();
        double[][] ns = new double[PATHS.length][rounds];
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            for (int path = 0; path < PATHS.length; path++) {
                long start = System.nanoTime();
                paths.run(path, calls);
                if (round >= 0) {
                    ns[path][round] = (System.nanoTime() - start) / (double) calls;
                }
            }
        }
        System.out.printf("median of %d rounds, %d calls each, Java %s, BufferIo %s (ns)%n", rounds, calls,
                Runtime.version(), paths.io.binding());
        for (int path = 0; path < PATHS.length; path++) {
            Arrays.sort(ns[path]);
            System.out.printf("%-32s %8.1f%n", PATHS[path], ns[path][rounds / 2]);
        }
        paths.close();
        if (paths.sink == Long.MIN_VALUE) { // uses the results, so that no loop is optimised away
            System.out.println();
        }
    }

    private void run(int path, int calls) throws IOException {
        switch (path) {
            case 0 -> {
                for (int i = 0; i < calls; i++) {
                    libc.write(raw[1], outAddress.of(out), BYTES);
                    sink += libc.read(raw[0], inAddress.of(in), BYTES);
                }
            }
            case 1 -> {
                for (int i = 0; i < calls; i++) {
                    io.write(raw[1], out.clear(), BYTES);
                    sink += io.read(raw[0], in.clear(), BYTES);
                }
            }
            case 2 -> {
                for (int i = 0; i < calls; i++) {
                    writer.write(out.clear());
                    sink += reader.read(in.clear());
                }
            }
            case 3 -> {
                for (int i = 0; i < calls; i++) {
                    jdkPipe.sink().write(out.clear());
                    sink += jdkPipe.source().read(in.clear());
                }
            }
            case 4 -> {
                for (int i = 0; i < calls; i++) {
                    sink += libc.fcntl(raw[0], LinuxConstants.F_GETFL, 0);
                }
            }
            case 5 -> {
                for (int i = 0; i < calls; i++) {
                    sink += extra.getppid();
                }
            }
            default -> {
                for (int i = 0; i < calls; i++) {
                    sink += extra.labs(-i);
                }
            }
        }
    }

    private void close() throws IOException {
        reader.close();
        writer.close();
        jdkPipe.sink().close();
        jdkPipe.source().close();
        libc.close(raw[0]);
        libc.close(raw[1]);
    }
}
