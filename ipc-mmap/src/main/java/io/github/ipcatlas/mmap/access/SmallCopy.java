package io.github.ipcatlas.mmap.access;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Copies between a mapped chunk and a caller's {@link ByteBuffer} with {@code sun.misc.Unsafe}, on JDK 17–21 only:
 * 8 to 128 bytes word by word, without a loop, anything else (and ranges that overlap) with {@code copyMemory}. There
 * the JDK's own buffer-to-buffer copy ({@code ByteBuffer.put(int, ByteBuffer, int, int)}) spends about 11 ns on checks
 * and scope bookkeeping before each copy — for a 64-byte ring record, more than the copy itself and half of what the
 * whole record costs in C. On JDK 22 and newer the JDK's copy is as fast, and Unsafe's memory
 * methods are deprecated for removal (JDK 24 warns when they are first used), so there this class stands aside.
 *
 * <p>Safe because the copy is checked to lie within the chunk, and because a mapping is unmapped only once its buffer
 * is unreachable (the caller holds it through the copy); that the mapping is still open, in the sense
 * of its API, is the caller's check. The caller's buffer is checked here: its position, read once (another thread
 * may move it), and its capacity, which never changes, bound the copy. A read-only destination (buffer or mapping,
 * whose pages would fault) is left to the JDK, which throws; so is a buffer, or a chunk, that is a view of a JDK
 * memory segment, which can be closed (and unmapped) under us.
 */
public final class SmallCopy {
    /** Whether this JDK gets the Unsafe copy. */
    public static final boolean ENABLED;
    private static final sun.misc.Unsafe UNSAFE;
    private static final long ADDRESS;
    private static final long SEGMENT;
    private static final long BYTE_ARRAY_BASE;

    static {
        sun.misc.Unsafe unsafe = null;
        long address = -1;
        long segment = -1;
        long base = -1;
        if (Runtime.version().feature() < 22) {
            try {
                Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
                address = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
                segment = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("segment"));
                base = unsafe.arrayBaseOffset(byte[].class);
            } catch (ReflectiveOperationException | RuntimeException notThisJdk) {
                unsafe = null; // a JDK laid out otherwise: the JDK's own copy, slower but right
            }
        }
        UNSAFE = unsafe;
        ENABLED = unsafe != null;
        ADDRESS = address;
        SEGMENT = segment;
        BYTE_ARRAY_BASE = base;
    }

    private SmallCopy() {
    }

    /**
     * Copies {@code length} bytes from {@code chunk} at {@code index} into {@code buffer} at its position, and advances
     * the position; false (nothing copied) if this buffer is left to the JDK's copy.
     *
     * @throws IndexOutOfBoundsException if the bytes are not all inside the chunk, or do not fit in the buffer from
     *                                   its position (another thread may move it: it is read once, and checked)
     */
    public static boolean copyOut(MappedByteBuffer chunk, int index, ByteBuffer buffer, int length) {
        if (!ENABLED || buffer.isReadOnly() || !eligible(buffer) || !ownMapping(chunk)) {
            return false;
        }
        int position = buffer.position();
        checkBounds(chunk, index, length, buffer, position);
        copy(null, address(chunk) + index, base(buffer), offset(buffer, position), length);
        Reference.reachabilityFence(chunk); // mapped, and the buffer's memory allocated, until the copy is over
        Reference.reachabilityFence(buffer);
        buffer.position(position + length);
        return true;
    }

    /**
     * Copies {@code length} bytes from {@code buffer} at its position into {@code chunk} at {@code index}, and
     * advances the position; false (nothing copied) if this buffer is left to the JDK's copy.
     *
     * @throws IndexOutOfBoundsException as {@link #copyOut}
     */
    public static boolean copyIn(ByteBuffer buffer, int length, MappedByteBuffer chunk, int index) {
        if (!ENABLED || chunk.isReadOnly() || !eligible(buffer) || !ownMapping(chunk)) { // the JDK's copy throws
            return false;
        }
        int position = buffer.position();
        checkBounds(chunk, index, length, buffer, position);
        copy(base(buffer), offset(buffer, position), null, address(chunk) + index, length);
        Reference.reachabilityFence(chunk);
        Reference.reachabilityFence(buffer);
        buffer.position(position + length);
        return true;
    }

    /** Above this many bytes, the JDK's copy stub; at or below, {@link #copyWords}. */
    private static final int WORD_COPY_LIMIT = 128;

    /** Copies {@code length} bytes, checked by the caller, between two addresses (or a heap array and an offset). */
    static void copy(Object srcBase, long src, Object dstBase, long dst, int length) {
        if (length >= Long.BYTES && length <= WORD_COPY_LIMIT && !overlap(srcBase, src, dstBase, dst, length)) {
            copyWords(srcBase, src, dstBase, dst, length);
        } else {
            UNSAFE.copyMemory(srcBase, src, dstBase, dst, length);
        }
    }

    /** Whether the ranges share bytes: a caller's buffer may view the mapping itself, and then only a memmove will do. */
    private static boolean overlap(Object srcBase, long src, Object dstBase, long dst, int length) {
        return srcBase == null && dstBase == null && src - dst < length && dst - src < length;
    }

    /**
     * Copies 8 to 128 bytes in 8-byte words, without a loop: a record's payload is a few words, and the stub that
     * {@code copyMemory} calls, or a loop the JIT unrolls with a pre- and a post-loop, costs more than the words. The
     * last word may overlap the one before it, as in glibc's {@code memcpy}: the regions themselves never overlap.
     */
    private static void copyWords(Object srcBase, long src, Object dstBase, long dst, int length) {
        int done = 0;
        if (length >= 64) {
            words64(srcBase, src, dstBase, dst, 0);
            done = 64;
            if (length == WORD_COPY_LIMIT) {
                words64(srcBase, src, dstBase, dst, 64);
                return;
            }
        }
        if (((length - done) & 32) != 0) {
            word(srcBase, src, dstBase, dst, done);
            word(srcBase, src, dstBase, dst, done + 8);
            word(srcBase, src, dstBase, dst, done + 16);
            word(srcBase, src, dstBase, dst, done + 24);
            done += 32;
        }
        if (((length - done) & 16) != 0) {
            word(srcBase, src, dstBase, dst, done);
            word(srcBase, src, dstBase, dst, done + 8);
            done += 16;
        }
        if (((length - done) & 8) != 0) {
            word(srcBase, src, dstBase, dst, done);
            done += 8;
        }
        if (done < length) { // 1 to 7 bytes left: the last whole word, overlapping what was copied
            word(srcBase, src, dstBase, dst, length - Long.BYTES);
        }
    }

    private static void words64(Object srcBase, long src, Object dstBase, long dst, int at) {
        for (int i = 0; i < 64; i += 8) { // a constant trip count: the JIT unrolls it whole
            word(srcBase, src, dstBase, dst, at + i);
        }
    }

    private static void word(Object srcBase, long src, Object dstBase, long dst, int at) {
        UNSAFE.putLong(dstBase, dst + at, UNSAFE.getLong(srcBase, src + at));
    }

    /**
     * The one check between the callers' numbers and raw memory: the copy lies within the chunk, and within the
     * buffer's capacity from the position read once (a limit another thread moves meanwhile cannot widen it).
     */
    private static void checkBounds(MappedByteBuffer chunk, int index, int length, ByteBuffer buffer, int position) {
        if (length < 0 || index < 0 || index > chunk.capacity() - length) {
            throw new IndexOutOfBoundsException(length + " bytes at " + index + " are outside a " + chunk.capacity()
                    + "-byte chunk");
        }
        checkBuffer(length, buffer, position);
    }

    private static void checkBuffer(int length, ByteBuffer buffer, int position) {
        if (length < 0 || position > buffer.capacity() - length) { // a position is never negative
            throw new IndexOutOfBoundsException(length + " bytes from position " + position + " do not fit in a "
                    + buffer.capacity() + "-byte buffer (did another thread move its position?)");
        }
    }

    /**
     * Copies {@code length} bytes from {@code buffer} at its position to {@code address} (checked by the caller to lie
     * in a live chunk), advancing the position; false (nothing copied) if the buffer is left to the JDK's copy.
     */
    static boolean copyFrom(ByteBuffer buffer, int length, long address) {
        if (!eligible(buffer)) {
            return false;
        }
        int position = buffer.position();
        checkBuffer(length, buffer, position);
        copy(base(buffer), offset(buffer, position), null, address, length);
        Reference.reachabilityFence(buffer);
        buffer.position(position + length);
        return true;
    }

    /** Copies {@code length} bytes from {@code address} into {@code buffer} at its position; as {@link #copyFrom}. */
    static boolean copyTo(long address, ByteBuffer buffer, int length) {
        if (buffer.isReadOnly() || !eligible(buffer)) {
            return false;
        }
        int position = buffer.position();
        checkBuffer(length, buffer, position);
        copy(null, address, base(buffer), offset(buffer, position), length);
        Reference.reachabilityFence(buffer);
        buffer.position(position + length);
        return true;
    }

    /** Direct buffers not backed by a segment, and heap buffers whose array we may see. */
    private static boolean eligible(ByteBuffer buffer) {
        return buffer.isDirect() ? UNSAFE.getObject(buffer, SEGMENT) == null : buffer.hasArray();
    }

    /**
     * Whether {@code chunk} is a classic mapping, unmapped only once unreachable, and not the view of a JDK memory
     * segment (JDK 17's incubator {@code MemorySegment.mapFile}, or {@code FileChannel.map} into an arena on 21),
     * whose owner can unmap it under a raw access at any time.
     */
    static boolean ownMapping(MappedByteBuffer chunk) {
        return UNSAFE.getObject(chunk, SEGMENT) == null;
    }

    private static long address(MappedByteBuffer chunk) {
        return UNSAFE.getLong(chunk, ADDRESS);
    }

    /** The Unsafe {@link ChunkWords} shares; null where {@link #ENABLED} is false. */
    static sun.misc.Unsafe unsafe() {
        return UNSAFE;
    }

    /** Where {@code chunk}'s memory starts; only where {@link #ENABLED}. */
    static long chunkAddress(MappedByteBuffer chunk) {
        return address(chunk);
    }

    private static Object base(ByteBuffer buffer) {
        return buffer.isDirect() ? null : buffer.array();
    }

    private static long offset(ByteBuffer buffer, int position) {
        return buffer.isDirect() ? UNSAFE.getLong(buffer, ADDRESS) + position
                : BYTE_ARRAY_BASE + buffer.arrayOffset() + position;
    }
}
