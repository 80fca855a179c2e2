package io.github.ipcatlas.core.linux;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * {@link BufferIo} through FFM downcalls ({@link Downcalls}, JDK 22+): the buffer goes to {@code read}/{@code write}
 * as a {@code MemorySegment}, which the linker keeps alive for the call.
 */
final class FfmBufferIo extends BufferIo {
    private final Object callState = Downcalls.newCallState();

    @Override
    long readChecked(int fd, ByteBuffer direct, int length) {
        try {
            return (long) Handles.READ.invokeExact(callState, fd, Downcalls.segmentOf(direct), (long) length);
        } catch (RuntimeException | Error e) {
            throw e; // IllegalStateException: the buffer's arena is closed; WrongThreadException: it is another's
        } catch (Throwable e) {
            throw new IllegalStateException("read(2) downcall failed", e);
        }
    }

    @Override
    long writeChecked(int fd, ByteBuffer direct, int length) {
        try {
            return (long) Handles.WRITE.invokeExact(callState, fd, Downcalls.segmentOf(direct), (long) length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("write(2) downcall failed", e);
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
        /** {@code ssize_t read(int, void *, size_t)}: {@code (Object state, int, Object segment, long) -> long}. */
        static final MethodHandle READ = Downcalls.capturingErrno("read", "J(IAJ)");
        static final MethodHandle WRITE = Downcalls.capturingErrno("write", "J(IAJ)");
    }
}
