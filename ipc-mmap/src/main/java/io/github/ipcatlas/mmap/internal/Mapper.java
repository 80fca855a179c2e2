package io.github.ipcatlas.mmap.internal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Syscalls;

/**
 * Maps a file region as a classic {@link MappedByteBuffer}, and releases the file's pages at {@code close()} without
 * ever leaving an address unmapped that a thread could still touch.
 *
 * <p>Touching memory after {@code munmap} is a {@code SIGSEGV}, which kills the JVM. The JDK unmaps a classic buffer
 * only when the garbage collector frees it, so an access in flight — which holds its buffer — can never meet an
 * unmapped page. JDK 22's shared arenas promise the same for an explicit close (a handshake with every thread before
 * the unmap), but Temurin 25.0.3 broke that promise here: a writer thread died in C1-compiled
 * {@code Unsafe.putLongUnaligned}, called from a {@code MappedByteBuffer.putLong} on a shared arena's mapping that
 * another thread had just closed (about one run in fifteen of {@code MappedFileLifetimeTest}). So no route here relies
 * on a close racing accesses.
 *
 * <p>Instead {@link #release} replaces the file's pages, in place and in one atomic step, by private anonymous memory
 * ({@code mmap(address, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_NORESERVE, -1, 0)}):
 * the file — an unlinked shared-memory segment's memory, a deleted file's blocks — is let go at once, on every JDK,
 * while the address range stays valid. An access racing the release reads zeros or writes into a page that nobody
 * will read, and never faults; the address range itself goes back when the collector frees the buffer, as for every
 * {@code MappedByteBuffer}.
 */
public final class Mapper {
    private static final int PROT_READ_WRITE = LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE;
    private static final int ANONYMOUS_IN_PLACE = LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS
            | LinuxConstants.MAP_FIXED | LinuxConstants.MAP_NORESERVE;

    private Mapper() {
    }

    /** Maps {@code size} bytes of {@code channel} from {@code position}. */
    public static MappedByteBuffer map(FileChannel channel, FileChannel.MapMode mode, long position, long size)
            throws IOException {
        return channel.map(mode, position, size);
    }

    /**
     * Replaces the file's pages under {@code buffer} by anonymous memory, so that the file is no longer mapped while
     * every address of the buffer stays readable and writable. Call once no operation should reach the file any more.
     *
     * @return true if the pages were replaced; false if the kernel refused (the buffer is empty, or the mapping lies in
     *         pages of another size), in which case the file stays mapped until the collector frees the buffer
     */
    public static boolean release(MappedByteBuffer buffer) {
        if (buffer.capacity() == 0) {
            return false;
        }
        Bindings bindings = Bindings.INSTANCE;
        long address = MemoryIO.getInstance().getDirectBufferAddress(buffer);
        long pageMask = bindings.pageSize - 1;
        long start = address & ~pageMask; // the JDK maps whole pages: the buffer starts inside the first one
        long end = (address + buffer.capacity() + pageMask) & ~pageMask;
        long replaced = bindings.libc.syscall(Syscalls.mmap(), start, end - start, PROT_READ_WRITE, ANONYMOUS_IN_PLACE,
                -1, 0);
        java.lang.ref.Reference.reachabilityFence(buffer); // the range must not be freed by the collector meanwhile
        return replaced == start;
    }

    /** The one {@code mmap} binding, loaded on the first release. */
    private static final class Bindings {
        static final Bindings INSTANCE = new Bindings();
        final RemapLibC libc = NativeLibrary.load(RemapLibC.class, "c");
        final long pageSize = libc.getpagesize();
    }
}
