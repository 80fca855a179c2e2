package io.github.ipcatlas.mmap.internal;

import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_BASE;
import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_BYTES;
import static io.github.ipcatlas.core.linux.KernelStructs.IOVEC_LEN;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Asks the kernel whether a byte of our own memory can be read, without touching it: the kernel copies it, and where
 * a page of a mapping lies past the end of its (truncated) file, the copy fails with {@code EFAULT} — the same access
 * from Java or C would raise {@code SIGBUS}. This asks the mapping itself, not whatever file now has its name.
 *
 * <p>The copy is {@code process_vm_readv(2)} on our own process (one system call, no descriptor). Where a seccomp
 * filter refuses that call ({@code EPERM}, {@code ENOSYS}), it is a one-byte {@code write(2)} from the address into a
 * pipe made for the probe, which no filter refuses. (A filter that kills the process on {@code process_vm_readv}
 * instead of refusing it cannot be detected beforehand; no common container profile does.) Not API.
 */
public final class PageProbe {
    /** {@code process_vm_readv(2)}. C names, no logic. */
    public interface VmLibC {
        long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);
    }

    /** Set once {@code process_vm_readv} was refused: a filter does not change its mind. */
    private static volatile boolean vmReadRefused;

    private PageProbe() {
    }

    /**
     * Whether the byte at {@code address} (in a mapping the caller holds a lease on) can be read.
     *
     * @throws java.io.IOException if the kernel refuses the probe itself (a seccomp filter that forbids the call, say)
     */
    public static boolean readable(long address) throws java.io.IOException {
        if (!vmReadRefused) {
            // The local iovec, the remote one, then the byte read.
            Pointer vectors = Memory.allocateDirect(Native.runtime(), 2 * IOVEC_BYTES + 8, true);
            vectors.putLong(IOVEC_BASE, vectors.address() + 2 * IOVEC_BYTES);
            vectors.putLong(IOVEC_LEN, 1);
            vectors.putLong(IOVEC_BYTES + IOVEC_BASE, address);
            vectors.putLong(IOVEC_BYTES + IOVEC_LEN, 1);
            if (Binding.LIBC.process_vm_readv(Native.libc().getpid(), vectors, 1, vectors.slice(IOVEC_BYTES), 1,
                    0) == 1) {
                return true;
            }
            int errno = Native.errno();
            if (errno == Errors.EFAULT) {
                return false;
            }
            if (errno != Errors.EPERM && errno != Errors.ENOSYS && errno != Errors.EACCES) {
                throw Errors.of("process_vm_readv", "a probe of our own mapping at " + hex(address), errno);
            }
            vmReadRefused = true; // a filter: from now on, the pipe
        }
        return writableToPipe(address);
    }

    /** The fallback: a one-byte {@code write(2)} from {@code address} into a new pipe. */
    static boolean writableToPipe(long address) throws java.io.IOException {
        int[] pipe = new int[2];
        if (Native.libc().pipe2(pipe, LinuxConstants.O_CLOEXEC) != 0) {
            throw Errors.of("pipe2", "a probe of our own mapping at " + hex(address), Native.errno());
        }
        try {
            if (Native.libc().write(pipe[1], address, 1) == 1) {
                return true;
            }
            int errno = Native.errno();
            if (errno == Errors.EFAULT) {
                return false;
            }
            throw Errors.of("write", "a probe of our own mapping at " + hex(address), errno);
        } finally {
            Native.libc().close(pipe[0]);
            Native.libc().close(pipe[1]);
        }
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    private static final class Binding {
        static final VmLibC LIBC = NativeLibrary.load(VmLibC.class, "c");
    }
}
