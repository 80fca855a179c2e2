package io.github.ipcatlas.sysv;

import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.sysv.internal.SysvLibC;

/** The System V functions of libc, bound when a call first needs them. */
final class SysvBinding {
    static final SysvLibC SYSV = NativeLibrary.load(SysvLibC.class, "c");

    private SysvBinding() {
    }
}
