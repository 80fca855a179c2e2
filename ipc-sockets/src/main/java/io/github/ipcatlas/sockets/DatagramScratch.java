package io.github.ipcatlas.sockets;

import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_BYTES;
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

    /** The largest staging buffer a thread keeps between calls. */
    static final int KEPT_STAGING = 1 << 20;
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

    /** The name's bytes as text, or null unless they decode strictly and name no one but this sender. */
    private static UnixAddress decode(byte[] name, boolean isAbstract) {
        if (name.length == 0) {
            return null;
        }
        for (byte b : name) {
            if (b == 0) {
                return null;
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name)).toString();
            return new UnixAddress(text, isAbstract);
        } catch (java.nio.charset.CharacterCodingException | IllegalArgumentException unrepresentable) {
            return null;
        }
    }

    static DatagramScratch forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * A direct buffer of {@code bytes}, cleared: the thread's own, grown as needed up to {@link #KEPT_STAGING}; a
     * larger one is made for the call and not kept, so one huge datagram does not pin its memory to the thread.
     */
    ByteBuffer staging(int bytes) {
        if (bytes > KEPT_STAGING) {
            return ByteBuffer.allocateDirect(bytes);
        }
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes);
            stagingAddress = MEMORY.getDirectBufferAddress(staging);
        }
        return staging.clear().limit(bytes);
    }

    /** The address of a buffer {@link #staging} returned. */
    long stagingAddress(ByteBuffer buffer) {
        return buffer == staging ? stagingAddress : MEMORY.getDirectBufferAddress(buffer);
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
     * null when it is unnamed or its name cannot be written as a {@link UnixAddress} that names it alone (a NUL inside
     * an abstract name, bytes that are no UTF-8: another process chooses its name, and must not pass for another
     * sender); the same object as last time for the same sender.
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
            int to = isAbstract ? length : from;
            while (!isAbstract && to < length && senderBytes[to] != 0) {
                to++;
            }
            sender = decode(Arrays.copyOfRange(senderBytes, from, to), isAbstract);
        }
        return sender;
    }
}
