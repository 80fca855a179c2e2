package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a file region so that it can be unmapped deterministically — something the JDK offers only from JDK 22 on.
 *
 * <ul>
 *   <li>JDK 22 and newer: the FFM API, {@code FileChannel.map(mode, position, size, Arena.ofShared())}, seen through
 *       reflection because this module targets 17. Closing the arena unmaps the memory; the JVM first makes sure no
 *       thread is inside an access, and any later access fails with {@link IllegalStateException}.</li>
 *   <li>JDK 17 to 21: a classic {@link MappedByteBuffer}, unmapped with {@code sun.misc.Unsafe.invokeCleaner} from
 *       the {@code jdk.unsupported} module (deprecated with a run-time warning from JDK 24 on, hence the FFM route
 *       there). The caller must make sure no access follows.</li>
 * </ul>
 */
public final class Mapper {
    private static final int FFM_JDK = 22;
    private static final Ffm FFM = Runtime.version().feature() >= FFM_JDK ? Ffm.find() : null;

    private Mapper() {
    }

    /**
     * A mapped region and the way to unmap it.
     *
     * @param buffer  the memory, as a buffer
     * @param unmapper unmaps the memory now; run it once, through {@link #unmap()}
     */
    public record Mapping(MappedByteBuffer buffer, Runnable unmapper) {
        /** Unmaps the memory now. Call once. */
        public void unmap() {
            unmapper.run();
        }
    }

    /** Maps {@code size} bytes of {@code channel} from {@code position}. */
    public static Mapping map(FileChannel channel, FileChannel.MapMode mode, long position, long size) throws IOException {
        return FFM != null ? FFM.map(channel, mode, position, size) : classic(channel.map(mode, position, size));
    }

    private static Mapping classic(MappedByteBuffer buffer) {
        return new Mapping(buffer, () -> Classic.UNSAFE.invokeCleaner(buffer));
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

        Mapping map(FileChannel channel, FileChannel.MapMode mode, long position, long size) throws IOException {
            try {
                Object arena = ofShared.invoke(null);
                try {
                    Object segment = mapWithArena.invoke(channel, mode, position, size, arena);
                    MappedByteBuffer buffer = (MappedByteBuffer) asByteBuffer.invoke(segment);
                    return new Mapping(buffer, () -> {
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

    /** Loaded only on JDKs before 22. */
    private static final class Classic {
        static final sun.misc.Unsafe UNSAFE;

        static {
            try {
                Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                UNSAFE = (sun.misc.Unsafe) field.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
