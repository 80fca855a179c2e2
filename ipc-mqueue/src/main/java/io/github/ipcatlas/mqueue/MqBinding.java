package io.github.ipcatlas.mqueue;

import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.mqueue.internal.MqLibC;
import jnr.ffi.Runtime;

/**
 * The message-queue functions of libc for this package's classes. A holder: libc is bound when a call first needs
 * it, not when {@link MessageQueue} is loaded.
 */
final class MqBinding {
    static final MqLibC MQ = NativeLibrary.load(MqLibC.class, "c");
    static final Runtime RUNTIME = Runtime.getRuntime(MQ);

    private MqBinding() {
    }
}
