package io.github.ipcatlas.mqueue;

import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import io.github.ipcatlas.core.linux.BufferIo;
import io.github.ipcatlas.core.linux.DirectAddress;
import io.github.ipcatlas.core.linux.Downcalls;
import io.github.ipcatlas.core.linux.Native;

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

    static final class Ffm extends MqCalls {
        /** {@code int mq_timedsend(mqd_t, const char *, size_t, unsigned, const struct timespec *)}. */
        private static final MethodHandle SEND = Downcalls.capturingErrno("mq_timedsend", "I(IAJIJ)");
        /** {@code ssize_t mq_timedreceive(mqd_t, char *, size_t, unsigned *, const struct timespec *)}. */
        private static final MethodHandle RECEIVE = Downcalls.capturingErrno("mq_timedreceive", "J(IAJJJ)");

        private final Object callState = Downcalls.newCallState();

        @Override
        int send(int mqd, ByteBuffer direct, int length, int priority, long timespec) {
            try {
                return (int) SEND.invokeExact(callState, mqd, Downcalls.segmentOf(direct), (long) length, priority,
                        timespec);
            } catch (RuntimeException | Error e) {
                throw e; // IllegalStateException: the buffer's arena is closed
            } catch (Throwable e) {
                throw new IllegalStateException("mq_timedsend downcall failed", e);
            }
        }

        @Override
        long receive(int mqd, ByteBuffer direct, int length, long priorityAddress, long timespec) {
            try {
                return (long) RECEIVE.invokeExact(callState, mqd, Downcalls.segmentOf(direct), (long) length,
                        priorityAddress, timespec);
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
