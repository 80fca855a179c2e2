package io.github.ipcatlas.signals.internal;

import io.github.ipcatlas.core.NativeLibrary;

/** The binding, loaded on first use. */
public final class SignalNative {
    private SignalNative() {
    }

    private static final class Holder {
        static final SignalLibC LIBC = NativeLibrary.load(SignalLibC.class, "c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    public static SignalLibC libc() {
        return Holder.LIBC;
    }

    public static jnr.ffi.Runtime runtime() {
        return Holder.RUNTIME;
    }

    public static int errno() {
        return jnr.ffi.LastError.getLastError(Holder.RUNTIME);
    }
}
