package io.github.ipcatlas.sockets.internal;

import io.github.ipcatlas.core.NativeLibrary;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The bindings, each loaded on first use: jnr-posix costs ~0.4 s to start, so only descriptor passing pays it. errno
 * and the jnr runtime are ipc-core's ({@code Native}).
 */
public final class SocketNative {
    private SocketNative() {
    }

    private static final class LibCHolder {
        static final SocketLibC LIBC = NativeLibrary.load(SocketLibC.class, "c");
    }

    private static final class PosixHolder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    public static SocketLibC libc() {
        return LibCHolder.LIBC;
    }

    /** jnr-posix, for {@code sendmsg}/{@code recvmsg}. */
    public static POSIX posix() {
        return PosixHolder.POSIX;
    }
}
