package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a file region as a classic {@link MappedByteBuffer}, on every JDK, and never unmaps it explicitly: the JDK
 * unmaps it when the garbage collector frees the buffer, so an access in flight — which holds its buffer — can never
 * meet an unmapped page, and an access racing a {@code close()} reads the file, never anything else.
 *
 * <p>Two routes to an earlier unmap were tried and dropped:
 * <ul>
 *   <li>JDK 22's shared arenas ({@code FileChannel.map(…, Arena.ofShared())}) promise a safe explicit close: the
 *       closing thread makes every other thread stop, and one inside an access gets an exception instead. On Temurin
 *       25.0.3 that promise failed here: a writer thread died of {@code SIGSEGV} in C1-compiled
 *       {@code Unsafe.putLongUnaligned} and {@code putLongRelease}, under {@code MappedByteBuffer} accesses to a
 *       mapping another thread had just closed — 2 of 20 JVMs running {@code MappedFileLifetimeTest}'s close race.</li>
 *   <li>Swapping the file's pages at close for anonymous memory ({@code mmap(MAP_FIXED)}) keeps the addresses valid,
 *       but an access racing the close then reads zeros — a reader got messages of zeros from a ring — and private
 *       anonymous memory counts against {@code RLIMIT_DATA} and strict overcommit, so closing a large mapping could
 *       itself make the JVM fail.</li>
 * </ul>
 */
public final class Mapper {
    private Mapper() {
    }

    /** Maps {@code size} bytes of {@code channel} from {@code position}. */
    public static MappedByteBuffer map(FileChannel channel, FileChannel.MapMode mode, long position, long size)
            throws IOException {
        return channel.map(mode, position, size);
    }
}
