package io.github.ipcatlas.mqueue;

import static io.github.ipcatlas.mqueue.internal.MqLayout.ATTR_BYTES;

import java.nio.ByteBuffer;

import io.github.ipcatlas.core.linux.RealtimeTimespec;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Per-thread native memory, so that no send or receive allocates: the {@code mq_attr}, the deadline, the received
 * priority, the binding of the calls and the staging buffer for heap buffers. One per thread, shared by all its queues
 * (a thread is in one call at a time), so it is never locked.
 */
final class NativeScratch {
    private static final ThreadLocal<NativeScratch> PER_THREAD = ThreadLocal.withInitial(NativeScratch::new);

    final Pointer attr = Memory.allocateDirect(MqBinding.RUNTIME, ATTR_BYTES, true);
    final RealtimeTimespec deadline = new RealtimeTimespec();
    final Pointer priority = Memory.allocateDirect(MqBinding.RUNTIME, Integer.BYTES, true);
    final long priorityAddress = priority.address();
    final MqCalls calls = MqCalls.create();
    private ByteBuffer staging;

    private NativeScratch() {
    }

    /** The calling thread's scratch. */
    static NativeScratch forThisThread() {
        return PER_THREAD.get();
    }

    /** A direct buffer of exactly {@code size} bytes, kept for the next call and grown only for a larger queue. */
    ByteBuffer staging(int size) {
        if (staging == null || staging.capacity() < size) {
            staging = ByteBuffer.allocateDirect(size);
        }
        return staging.clear().limit(size);
    }
}
