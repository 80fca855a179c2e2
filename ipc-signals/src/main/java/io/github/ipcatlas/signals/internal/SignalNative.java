package io.github.ipcatlas.signals.internal;

import io.github.ipcatlas.core.NativeLibrary;

/** The binding, loaded on first use. errno and the jnr runtime are ipc-core's ({@code Native}). */
public final class SignalNative {
    private SignalNative() {
    }

    private static final class Holder {
        static final SignalLibC LIBC = NativeLibrary.load(SignalLibC.class, "c");
    }

    public static SignalLibC libc() {
        return Holder.LIBC;
    }
}
