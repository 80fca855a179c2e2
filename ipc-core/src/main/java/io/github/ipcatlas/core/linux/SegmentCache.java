package io.github.ipcatlas.core.linux;

import java.nio.ByteBuffer;

/**
 * The {@code MemorySegment}s of the two direct buffers last used, and the address of each buffer's first byte, for the
 * FFM downcalls of {@link Downcalls} (JDK 22+).
 *
 * <p><b>Why a segment is passed as an extra argument.</b> Passing a buffer's segment to {@code read} itself would need
 * a new segment for every position ({@code MemorySegment.ofBuffer} covers position to limit), an allocation the JIT
 * removes only when it inlines the whole path, which it did not always do (a pipe round trip allocated 170 bytes in
 * one run of the benchmark and none in the next). So the calls go through {@code syscall(2)}: the kernel gets the raw
 * address of the buffer's position, and the buffer's segment, made once per buffer, follows as one more variadic
 * argument, which the system call ignores. The linker holds that segment's arena open for the length of the call and
 * refuses one that is closed: the protection, without an allocation per call.
 *
 * <p>Two entries, so a caller that alternates two buffers (a write and a read through one instance, double
 * buffering) allocates nothing either; a third buffer evicts the older. The cache keeps those two buffers' memory
 * reachable until it is given others. One per thread, or per direction serialised by a lock.
 */
public final class SegmentCache {
    private ByteBuffer newest;
    private Object newestSegment;
    private long newestBase;
    private ByteBuffer older;
    private Object olderSegment;
    private long olderBase;
    /** The segment of the buffer {@link #address} was last given. */
    private Object current;

    /**
     * The address of {@code direct}'s position, and remembers its segment for {@link #segment()}. Call it right
     * before the downcall that passes both.
     */
    public long address(ByteBuffer direct) {
        if (direct == newest) {
            current = newestSegment;
            return newestBase + direct.position();
        }
        if (direct != older) {
            Object fresh = Downcalls.segmentOf(direct);
            older = direct;
            olderSegment = fresh;
            olderBase = Downcalls.addressOf(fresh) - direct.position();
        }
        // the entry just used becomes the newest
        ByteBuffer buffer = older;
        Object segment = olderSegment;
        long base = olderBase;
        older = newest;
        olderSegment = newestSegment;
        olderBase = newestBase;
        newest = buffer;
        newestSegment = segment;
        newestBase = base;
        current = segment;
        return base + direct.position();
    }

    /** The segment of the buffer {@link #address} was last given: its memory, which the downcall keeps alive. */
    public Object segment() {
        return current;
    }
}
