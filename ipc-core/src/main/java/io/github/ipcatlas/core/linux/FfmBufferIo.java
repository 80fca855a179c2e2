package io.github.ipcatlas.core.linux;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * {@link BufferIo} through FFM downcalls ({@link Downcalls}, JDK 22+): {@code read}/{@code write} through
 * {@code syscall(2)}, with the buffer's segment as the extra argument that keeps its arena open for the call (see
 * {@link SegmentCache}).
 */
final class FfmBufferIo extends BufferIo {
    private final Object callState = Downcalls.newCallState();
    private final SegmentCache memory = new SegmentCache();

    @Override
    long readChecked(int fd, ByteBuffer direct, int length) {
        return call(Handles.READ, fd, direct, length);
    }

    @Override
    long writeChecked(int fd, ByteBuffer direct, int length) {
        return call(Handles.WRITE, fd, direct, length);
    }

    /** {@code read} or {@code write} at the buffer's position, its segment riding along. */
    private long call(long number, int fd, ByteBuffer direct, int length) {
        long address = memory.address(direct);
        try {
            return (long) Handles.SYSCALL.invokeExact(callState, number, (long) fd, address, (long) length,
                    memory.segment());
        } catch (RuntimeException | Error e) {
            throw e; // IllegalStateException: the buffer's arena is closed; WrongThreadException: it is another's
        } catch (Throwable e) {
            throw new IllegalStateException("system call " + number + " failed in the downcall", e);
        }
    }

    @Override
    public int errno() {
        return Downcalls.errno(callState);
    }

    @Override
    public String binding() {
        return "ffm";
    }

    /** Linked on first use, which only an instance makes, and instances exist only where downcalls are available. */
    private static final class Handles {
        /** {@code long syscall(long number, fd, address, count, segment)}: the segment is for the linker alone. */
        static final MethodHandle SYSCALL = Downcalls.capturingErrno("syscall", "J(J|JJJA)");
        static final long READ = Syscalls.read();
        static final long WRITE = Syscalls.write();
    }
}
