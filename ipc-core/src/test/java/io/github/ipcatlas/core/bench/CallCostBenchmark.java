package io.github.ipcatlas.core.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of a read or write on a pipe goes: the same 64-byte write and read, in one thread on one pipe that
 * never blocks, through the JDK's own {@code Pipe} channels, through {@link FdChannel}, through each binding bare
 * ({@link BufferIo}, and jnr-ffi's {@link LibC} by address with no check at all), and the cost of a call alone, into
 * a libc function that makes no system call ({@code labs}). The README of {@code ipc-core} says how to run it; its
 * figures come from {@link CallCostRounds}, which interleaves the same paths and so stands up to this VM's drift.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class CallCostBenchmark {
    private static final int BYTES = 64;

    /** The binding of {@link FdChannel} and of {@link #bufferIo}: {@code jnr}, or {@code ffm} (JDK 22+). */
    @Param({"jnr"})
    public String binding;

    private final ByteBuffer out = ByteBuffer.allocateDirect(BYTES);
    private final ByteBuffer in = ByteBuffer.allocateDirect(BYTES);
    private Pipe jdkPipe;
    private FdChannel reader;
    private FdChannel writer;
    private BufferIo io;
    private int readFd;
    private int writeFd;
    private final LibC libc = Native.libc();
    private final DirectAddress outAddress = new DirectAddress();
    private final DirectAddress inAddress = new DirectAddress();
    private Labs labs;

    /** {@code long labs(long)}: no system call, so only the cost of getting there and back. */
    public interface Labs {
        long labs(long value);
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        System.setProperty(BufferIo.BINDING_PROPERTY, binding);
        jdkPipe = Pipe.open();
        int[] fds = new int[2];
        if (libc.pipe2(fds, LinuxConstants.O_CLOEXEC) != 0) {
            throw new IOException("pipe2 failed: errno " + Native.errno());
        }
        reader = new FdChannel(fds[0], "benchmark pipe read end");
        writer = new FdChannel(fds[1], "benchmark pipe write end");
        readFd = fds[0];
        writeFd = fds[1];
        io = BufferIo.create();
        labs = NativeLibrary.load(Labs.class, "c");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        jdkPipe.sink().close();
        jdkPipe.source().close();
        reader.close();
        writer.close();
    }

    @Benchmark
    public int jdkPipeChannels() throws IOException {
        jdkPipe.sink().write(out.clear());
        return jdkPipe.source().read(in.clear());
    }

    @Benchmark
    public int fdChannel() throws IOException {
        writer.write(out.clear());
        return reader.read(in.clear());
    }

    @Benchmark
    public long bufferIo() {
        io.write(writeFd, out.clear(), BYTES);
        return io.read(readFd, in.clear(), BYTES);
    }

    @Benchmark
    public long jnrByAddress() {
        libc.write(writeFd, outAddress.of(out), BYTES);
        return libc.read(readFd, inAddress.of(in), BYTES);
    }

    @Benchmark
    public long callOnlyJnr() {
        return labs.labs(-42) + labs.labs(-43);
    }

    @Benchmark
    public long callOnlyFfm() throws Throwable {
        return (long) Ffm.LABS.invokeExact(-42L) + (long) Ffm.LABS.invokeExact(-43L);
    }

    /** {@code labs} as a downcall without errno capture, found on first use (JDK 22+). */
    private static final class Ffm {
        static final MethodHandle LABS = labs();

        private static MethodHandle labs() {
            try {
                Class<?> linker = Class.forName("java.lang.foreign.Linker");
                Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
                Object nativeLinker = linker.getMethod("nativeLinker").invoke(null);
                Object lookup = linker.getMethod("defaultLookup").invoke(nativeLinker);
                Object symbol = ((java.util.Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                        .getMethod("find", String.class).invoke(lookup, "labs")).orElseThrow();
                Object javaLong = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_LONG").get(null);
                Object arguments = java.lang.reflect.Array.newInstance(layout, 1);
                java.lang.reflect.Array.set(arguments, 0, javaLong);
                Object descriptor = descriptorClass.getMethod("of", layout, arguments.getClass())
                        .invoke(null, javaLong, arguments);
                Object options = java.lang.reflect.Array.newInstance(option, 0);
                MethodHandle handle = (MethodHandle) linker.getMethod("downcallHandle",
                        Class.forName("java.lang.foreign.MemorySegment"), descriptorClass, options.getClass())
                        .invoke(nativeLinker, symbol, descriptor, options);
                return handle.asType(MethodType.methodType(long.class, long.class));
            } catch (ReflectiveOperationException e) { // before JDK 22: exclude it, -e callOnlyFfm
                throw new IllegalStateException("labs as a downcall: " + e, e);
            }
        }
    }
}
