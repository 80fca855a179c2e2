package io.github.ipcatlas.core.linux;

import java.nio.ByteBuffer;

import com.kenai.jffi.MemoryIO;

/**
 * The native address of a direct buffer, remembered for the buffer last asked about: a loop that reuses one buffer
 * pays for the lookup (a JNI call) once. Not thread-safe; keep one per thread or per serialised direction.
 */
public final class DirectAddress {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private ByteBuffer buffer;
    private long address;

    /** The address of {@code direct}'s first byte (index 0, not its position). */
    public long of(ByteBuffer direct) {
        if (direct != buffer) {
            address = MEMORY.getDirectBufferAddress(direct);
            buffer = direct;
        }
        return address;
    }
}
