package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a file region the way the running JDK can make safe to unmap.
 *
 * <ul>
 *   <li>JDK 22 and newer: the FFM API, {@code FileChannel.map(mode, position, size, Arena.ofShared())}, seen through
 *       reflection because this module targets 17. Closing the arena unmaps the memory at once; the JVM first makes
 *       sure no thread is inside an access (a handshake), and every later access fails with
 *       {@link IllegalStateException}.</li>
 *   <li>JDK 17 to 21: a classic {@link MappedByteBuffer}, which the JDK unmaps when the garbage collector frees it.
 *       Unmapping it earlier ({@code Unsafe.invokeCleaner}) would crash a thread still reading it — the JDK has no way
 *       to wait for accesses in flight before 22 — so it is left to the collector, exactly as the JDK itself does.</li>
 * </ul>
 */
public final class Mapper {
    private static final int FFM_JDK = 22;
    private static final Ffm FFM = Runtime.version().feature() >= FFM_JDK ? Ffm.find() : null;

    private Mapper() {
    }

    /**
     * A mapped chunk and the way to unmap it.
     *
     * @param buffer   the memory, as a buffer
     * @param unmapper unmaps the memory now, or null where only the garbage collector may (JDK 17–21)
     */
    public record Chunk(MappedByteBuffer buffer, Runnable unmapper) {
    }

    /** Whether {@link Chunk#unmapper()} exists: true on JDK 22 and newer. */
    public static boolean unmapsDeterministically() {
        return FFM != null;
    }

    /** Maps {@code size} bytes of {@code channel} from {@code position}. */
    public static Chunk map(FileChannel channel, FileChannel.MapMode mode, long position, long size) throws IOException {
        return FFM != null ? FFM.map(channel, mode, position, size) : new Chunk(channel.map(mode, position, size), null);
    }

    /** The JDK 22+ route, found once. */
    private record Ffm(Method ofShared, Method mapWithArena, Method asByteBuffer, Method close) {
        static Ffm find() {
            try {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                return new Ffm(arena.getMethod("ofShared"),
                        FileChannel.class.getMethod("map", FileChannel.MapMode.class, long.class, long.class, arena),
                        segment.getMethod("asByteBuffer"), arena.getMethod("close"));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        Chunk map(FileChannel channel, FileChannel.MapMode mode, long position, long size) throws IOException {
            try {
                Object arena = ofShared.invoke(null);
                try {
                    Object segment = mapWithArena.invoke(channel, mode, position, size, arena);
                    MappedByteBuffer buffer = (MappedByteBuffer) asByteBuffer.invoke(segment);
                    return new Chunk(buffer, () -> {
                        try {
                            close.invoke(arena);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException("cannot close the mapping's arena", e);
                        }
                    });
                } catch (InvocationTargetException e) {
                    close.invoke(arena);
                    throw e;
                }
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException("mapping failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("the FFM mapping API is not accessible", e);
            }
        }
    }
}
