package io.github.ipcatlas.mmap.peers;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.ipcatlas.mmap.access.ChunkWords;
import io.github.ipcatlas.mmap.access.SmallCopy;

/**
 * Run with {@code --add-modules jdk.incubator.foreign} on JDK 17: maps ARG0 (a 4 KiB file) as a memory segment of
 * JDK 17's incubating foreign API — a mapping its owner unmaps when it closes the segment's scope — and hands the
 * segment's {@link MappedByteBuffer} view to the raw routes. Prints one line per route: {@code refused} (the safe
 * answer) or {@code accepted}. Reflection keeps the incubating API out of the test's compilation.
 */
public final class SegmentChunkPeer {
    private SegmentChunkPeer() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Files.write(file, new byte[4096]);
        Class<?> scopes = Class.forName("jdk.incubator.foreign.ResourceScope");
        Class<?> segments = Class.forName("jdk.incubator.foreign.MemorySegment");
        Object scope = scopes.getMethod("newSharedScope").invoke(null);
        Method mapFile = segments.getMethod("mapFile", Path.class, long.class, long.class, FileChannel.MapMode.class,
                scopes);
        Object segment = mapFile.invoke(null, file, 0L, 4096L, FileChannel.MapMode.READ_WRITE, scope);
        MappedByteBuffer chunk = (MappedByteBuffer) segments.getMethod("asByteBuffer").invoke(segment);
        try {
            ChunkWords.of(chunk, 4096);
            System.out.println("words accepted");
        } catch (IllegalArgumentException refused) {
            System.out.println("words refused: " + refused.getMessage());
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        System.out.println("copyIn " + (SmallCopy.copyIn(buffer, 64, chunk, 0) ? "accepted" : "refused"));
        System.out.println("copyOut " + (SmallCopy.copyOut(chunk, 0, buffer.clear(), 64) ? "accepted" : "refused"));
        scopes.getMethod("close").invoke(scope);
    }
}
