package io.github.ipcatlas.mmap.internal;

import java.nio.MappedByteBuffer;

/**
 * Loads and stores of 4- and 8-byte words of a mapped chunk by address, with the memory orderings a ring needs, on JDK
 * 17–21 only ({@link SmallCopy#ENABLED}). There a {@code VarHandle} view of a buffer re-reads the buffer's limit,
 * read-only flag and memory session and checks alignment on every access; a ring record takes five or six accesses on
 * each side, and those checks cost as much as the rest of the record. Here an access is one instruction.
 *
 * <p>Nothing is checked: the caller holds the chunk (on JDK 17–21 a mapping is unmapped only once its buffer is
 * unreachable), checks every address against the chunk, and keeps 4- and 8-byte words aligned. Not API.
 */
public final class ChunkWords {
    private static final sun.misc.Unsafe UNSAFE = SmallCopy.unsafe();

    /**
     * Whether this JDK gets these accesses: those of the Unsafe copy, and only where mappings are unmapped by the
     * collector alone (never by a {@code close} that another thread's access could race).
     */
    public static final boolean ENABLED = SmallCopy.ENABLED && !Mapper.unmapsDeterministically();

    private ChunkWords() {
    }

    /** Where {@code chunk}'s memory starts; only where {@link #ENABLED}. */
    public static long address(MappedByteBuffer chunk) {
        return SmallCopy.chunkAddress(chunk);
    }

    public static void putLong(long address, long value) {
        UNSAFE.putLong(address, value);
    }

    public static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    /** A volatile load: at least acquire. */
    public static long getLongAcquire(long address) {
        return UNSAFE.getLongVolatile(null, address);
    }

    /** An ordered store: release. */
    public static void putLongRelease(long address, long value) {
        UNSAFE.putOrderedLong(null, address, value);
    }

    public static void putIntRelease(long address, int value) {
        UNSAFE.putOrderedInt(null, address, value);
    }

    public static int getIntVolatile(long address) {
        return UNSAFE.getIntVolatile(null, address);
    }

    public static void putIntVolatile(long address, int value) {
        UNSAFE.putIntVolatile(null, address, value);
    }

    public static boolean compareAndSetInt(long address, int expected, int update) {
        return UNSAFE.compareAndSwapInt(null, address, expected, update);
    }

    public static int getAndAddInt(long address, int delta) {
        return UNSAFE.getAndAddInt(null, address, delta);
    }
}
