package io.github.ipcatlas.mqueue;

import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.Downcalls;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.SegmentCache;
import io.github.ipcatlas.core.linux.Syscalls;

/**
 * {@code mq_timedsend} and {@code mq_timedreceive} on a direct buffer at its position, through the binding
 * {@link BufferIo} picks: on JDK 22+ FFM downcalls, which keep the buffer's arena open for the call (a buffer whose
 * arena is closed is refused with {@link IllegalStateException}), before that jnr-ffi by address. The deadline and
 * the received priority are in memory of our own and go by address either way. One per thread (it keeps the errno of
 * its last call); allocates nothing per call once compiled.
 */
abstract sealed class MqCalls permits MqCalls.Jnr, MqCalls.Ffm {
    static MqCalls create() {
        return BufferIo.usesFfm() ? new Ffm() : new Jnr();
    }

    /** 0, or -1 with {@link #errno()} set. {@code timespec} is the address of the deadline, 0 for none. */
    abstract int send(int mqd, ByteBuffer direct, int length, int priority, long timespec);

    /** The message's length, or -1 with {@link #errno()} set; its priority goes to {@code priorityAddress}. */
    abstract long receive(int mqd, ByteBuffer direct, int length, long priorityAddress, long timespec);

    abstract int errno();

    static final class Jnr extends MqCalls {
        private final DirectAddress address = new DirectAddress();

        @Override
        int send(int mqd, ByteBuffer direct, int length, int priority, long timespec) {
            int result = MqBinding.MQ.mq_timedsend(mqd, address.of(direct) + direct.position(), length, priority,
                    timespec);
            Reference.reachabilityFence(direct); // its memory must outlive the call
            return result;
        }

        @Override
        long receive(int mqd, ByteBuffer direct, int length, long priorityAddress, long timespec) {
            long result = MqBinding.MQ.mq_timedreceive(mqd, address.of(direct) + direct.position(), length,
                    priorityAddress, timespec);
            Reference.reachabilityFence(direct);
            return result;
        }

        @Override
        int errno() {
            return Native.errno();
        }
    }

    /** Through {@code syscall(2)}, the buffer's segment the extra argument that keeps it alive ({@link SegmentCache}). */
    static final class Ffm extends MqCalls {
        /** {@code long syscall(long number, ...)}: five arguments of the call, then the segment, for the linker. */
        private static final MethodHandle SYSCALL = Downcalls.capturingErrno("syscall", "J(J|JJJJJA)");
        private static final long SEND = Syscalls.mqTimedsend();
        private static final long RECEIVE = Syscalls.mqTimedreceive();

        private final Object callState = Downcalls.newCallState();
        private final SegmentCache memory = new SegmentCache();

        @Override
        int send(int mqd, ByteBuffer direct, int length, int priority, long timespec) {
            long address = memory.address(direct);
            try {
                return (int) (long) SYSCALL.invokeExact(callState, SEND, (long) mqd, address, (long) length,
                        (long) priority & 0xFFFF_FFFFL, timespec, memory.segment());
            } catch (RuntimeException | Error e) {
                throw e; // IllegalStateException: the buffer's arena is closed
            } catch (Throwable e) {
                throw new IllegalStateException("mq_timedsend downcall failed", e);
            }
        }

        @Override
        long receive(int mqd, ByteBuffer direct, int length, long priorityAddress, long timespec) {
            long address = memory.address(direct);
            try {
                return (long) SYSCALL.invokeExact(callState, RECEIVE, (long) mqd, address, (long) length,
                        priorityAddress, timespec, memory.segment());
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("mq_timedreceive downcall failed", e);
            }
        }

        @Override
        int errno() {
            return Downcalls.errno(callState);
        }
    }
}
