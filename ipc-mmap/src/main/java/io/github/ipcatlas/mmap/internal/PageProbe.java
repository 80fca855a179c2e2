package io.github.ipcatlas.mmap.internal;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.internal.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Asks the kernel whether a byte of our own memory can be read, without touching it: {@code process_vm_readv(2)} on
 * our own process copies it in the kernel, where a page of a mapping that lies past the end of its (truncated) file
 * makes the call fail with {@code EFAULT} — the same access from Java or C would raise {@code SIGBUS}. This asks the
 * mapping itself, not whatever file now has its name. Not API.
 */
public final class PageProbe {
    /** {@code process_vm_readv(2)}. C names, no logic. */
    public interface VmLibC {
        long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

        int getpid();
    }

    private PageProbe() {
    }

    /**
     * Whether the byte at {@code address} (in a mapping the caller holds a lease on) can be read.
     *
     * @throws java.io.IOException if the kernel refuses the probe itself (a seccomp filter that forbids the call, say)
     */
    public static boolean readable(long address) throws java.io.IOException {
        Pointer vectors = Memory.allocateDirect(Native.runtime(), 40, true); // two iovecs, then the byte read
        vectors.putLong(0, vectors.address() + 32);
        vectors.putLong(8, 1);
        vectors.putLong(16, address);
        vectors.putLong(24, 1);
        VmLibC libc = Binding.LIBC;
        if (libc.process_vm_readv(libc.getpid(), vectors, 1, vectors.slice(16), 1, 0) == 1) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errors.EFAULT) {
            return false;
        }
        throw Errors.of("process_vm_readv", "a probe of our own mapping at 0x" + Long.toHexString(address), errno);
    }

    private static final class Binding {
        static final VmLibC LIBC = NativeLibrary.load(VmLibC.class, "c");
    }
}
