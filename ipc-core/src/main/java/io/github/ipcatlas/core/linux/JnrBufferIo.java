package io.github.ipcatlas.core.linux;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/** {@link BufferIo} through jnr-ffi, by the buffer's address (remembered for the buffer last used). */
final class JnrBufferIo extends BufferIo {
    private final LibC libc = Native.libc();
    private final DirectAddress address = new DirectAddress();
    private int errno;

    @Override
    long readChecked(int fd, ByteBuffer direct, int length) {
        long n = libc.read(fd, address.of(direct) + direct.position(), length);
        if (n < 0) {
            errno = Native.errno();
        }
        Reference.reachabilityFence(direct); // its memory must outlive the call
        return n;
    }

    @Override
    long writeChecked(int fd, ByteBuffer direct, int length) {
        long n = libc.write(fd, address.of(direct) + direct.position(), length);
        if (n < 0) {
            errno = Native.errno();
        }
        Reference.reachabilityFence(direct);
        return n;
    }

    @Override
    public int errno() {
        return errno;
    }

    @Override
    public String binding() {
        return "jnr";
    }
}
