package io.github.ipcatlas.sockets;

import static io.github.ipcatlas.sockets.internal.MsgLayout.IOVEC_BYTES;
import static io.github.ipcatlas.sockets.internal.MsgLayout.MSGHDR_BYTES;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.sockets.internal.SocketLibC;

/**
 * Per-thread native memory for {@link UnixDatagramSocket}: the {@code msghdr}, its {@code iovec}, room for control
 * messages and the sender's {@code sockaddr_un}; a staging buffer for heap buffers; and the last target and sender
 * addresses in their native and Java forms, so that talking to one peer allocates nothing per datagram.
 */
final class DatagramScratch {
    private static final ThreadLocal<DatagramScratch> PER_THREAD = ThreadLocal.withInitial(DatagramScratch::new);
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    static final int HEADER = 0;
    static final int IOVEC = 64;
    static final int CONTROL = IOVEC + IOVEC_BYTES + 16;
    /** Credentials (32 bytes) and a few descriptors a hostile sender may add, which are closed. */
    static final int CONTROL_BYTES = 128;
    static final int NAME = CONTROL + CONTROL_BYTES;
    private static final int BYTES = NAME + SocketLibC.SOCKADDR_UN_BYTES + 2;

    final ByteBuffer memory = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.nativeOrder());
    final long address = MEMORY.getDirectBufferAddress(memory);
    private final ByteBuffer target = ByteBuffer.allocateDirect(SocketLibC.SOCKADDR_UN_BYTES).order(ByteOrder.nativeOrder());
    private final long targetAddress = MEMORY.getDirectBufferAddress(target);
    private UnixAddress lastTarget;
    private int lastTargetLength;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);
    private long stagingAddress = MEMORY.getDirectBufferAddress(staging);
    private final byte[] senderBytes = new byte[SocketLibC.SOCKADDR_UN_BYTES];
    private int senderLength = -1;
    private UnixAddress sender;

    static {
        if (MSGHDR_BYTES > IOVEC) {
            throw new AssertionError("msghdr overlaps the iovec");
        }
    }

    static DatagramScratch forThisThread() {
        return PER_THREAD.get();
    }

    /** A direct buffer of at least {@code bytes}, cleared. */
    ByteBuffer staging(int bytes) {
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes);
            stagingAddress = MEMORY.getDirectBufferAddress(staging);
        }
        return staging.clear();
    }

    long stagingAddress() {
        return stagingAddress;
    }

    /** The native {@code sockaddr_un} of {@code to}; its length is {@link #targetLength()}. */
    long target(UnixAddress to) {
        if (!to.equals(lastTarget)) {
            byte[] name = to.name().getBytes(StandardCharsets.UTF_8);
            target.clear();
            for (int i = 0; i < target.capacity(); i++) {
                target.put(i, (byte) 0);
            }
            target.putShort(0, (short) SocketLibC.AF_UNIX);
            target.put(to.isAbstract() ? 3 : 2, name);
            lastTargetLength = 2 + 1 + name.length;
            lastTarget = to;
        }
        return targetAddress;
    }

    int targetLength() {
        return lastTargetLength;
    }

    /**
     * The sender whose {@code sockaddr_un} of {@code length} bytes the last {@code recvmsg} wrote at {@link #NAME}, or
     * null when it is unnamed (or its name is no UTF-8 text: another process chooses it); the same object as last time
     * for the same sender.
     */
    UnixAddress sender(int length) {
        if (length <= 2 || length > SocketLibC.SOCKADDR_UN_BYTES) {
            return null;
        }
        boolean same = length == senderLength;
        for (int i = 0; same && i < length; i++) {
            same = senderBytes[i] == memory.get(NAME + i);
        }
        if (!same) {
            memory.get(NAME, senderBytes, 0, length);
            senderLength = length;
            boolean isAbstract = senderBytes[2] == 0;
            int from = isAbstract ? 3 : 2;
            int to = from;
            while (to < length && senderBytes[to] != 0) { // an abstract name may hold NULs: it is cut at the first
                to++;
            }
            try {
                sender = to == from ? null : new UnixAddress(new String(Arrays.copyOfRange(senderBytes, from, to),
                        StandardCharsets.UTF_8), isAbstract);
            } catch (IllegalArgumentException notUtf8) { // invalid UTF-8 grows past 107 bytes when decoded
                sender = null;
            }
        }
        return sender;
    }
}
