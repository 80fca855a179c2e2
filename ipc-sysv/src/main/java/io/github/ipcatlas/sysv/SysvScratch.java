package io.github.ipcatlas.sysv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.core.linux.KernelStructs;

/**
 * Per-thread native memory for the System V calls, so that no send, receive or semaphore operation allocates: a
 * {@code *_ds} structure, a {@code struct timespec}, the {@code struct msgbuf} (grown to the largest message the
 * thread has moved) and an array of {@code struct sembuf} or of semaphore values. One per thread, shared by all its
 * handles (a thread is in one call at a time), so never locked.
 */
final class SysvScratch {
    private static final ThreadLocal<SysvScratch> PER_THREAD = ThreadLocal.withInitial(SysvScratch::new);
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final int DS_BYTES = 128;

    final ByteBuffer ds = allocate(DS_BYTES);
    final long dsAddress = MEMORY.getDirectBufferAddress(ds);
    final ByteBuffer timespec = allocate(KernelStructs.TIMESPEC_BYTES);
    final long timespecAddress = MEMORY.getDirectBufferAddress(timespec);
    private ByteBuffer message = allocate(8 + 256);
    private long messageAddress = MEMORY.getDirectBufferAddress(message);
    private ByteBuffer array = allocate(64);
    private long arrayAddress = MEMORY.getDirectBufferAddress(array);

    private SysvScratch() {
    }

    static SysvScratch forThisThread() {
        return PER_THREAD.get();
    }

    /** A {@code struct msgbuf} with room for {@code textBytes} after the type, cleared of nothing (callers write). */
    ByteBuffer message(int textBytes) {
        if (message.capacity() < 8 + textBytes) {
            message = allocate(8 + textBytes);
            messageAddress = MEMORY.getDirectBufferAddress(message);
        }
        return message.clear();
    }

    /** The address of the buffer {@link #message} returned last. */
    long messageAddress() {
        return messageAddress;
    }

    /** At least {@code bytes} of native memory for an array of {@code sembuf} or {@code unsigned short}. */
    ByteBuffer array(int bytes) {
        if (array.capacity() < bytes) {
            array = allocate(bytes);
            arrayAddress = MEMORY.getDirectBufferAddress(array);
        }
        return array.clear();
    }

    /** The address of the buffer {@link #array} returned last. */
    long arrayAddress() {
        return arrayAddress;
    }

    /** Sets the relative {@code struct timespec} to {@code nanos} and returns its address. */
    long timespec(long nanos) {
        timespec.putLong(KernelStructs.TIMESPEC_SEC, nanos / 1_000_000_000L)
                .putLong(KernelStructs.TIMESPEC_NSEC, nanos % 1_000_000_000L);
        return timespecAddress;
    }

    private static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
