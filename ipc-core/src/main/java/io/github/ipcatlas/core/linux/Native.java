package io.github.ipcatlas.core.linux;

import io.github.ipcatlas.core.NativeLibrary;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/** The process-wide libc binding and its runtime, loaded on first use. */
public final class Native {
    private Native() {
    }

    private static final class Holder {
        static final LibC LIBC = NativeLibrary.load(LibC.class, "c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    public static LibC libc() {
        return Holder.LIBC;
    }

    public static Runtime runtime() {
        return Holder.RUNTIME;
    }

    /** The calling thread's errno; read it immediately after the failed call. */
    public static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }
}
