package io.github.ipcatlas.signals.internal;

import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.signals.SignalInfo;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The {@code siginfo_t} of a signal queued with a value, as {@code sigqueue(3)} fills it ({@code SI_QUEUE}, the
 * sender's pid and uid, {@code si_value.sival_int}), for the calls that take one: {@code rt_tgsigqueueinfo(2)} and
 * {@code pidfd_send_signal(2)}. The kernel refuses a non-negative {@code si_code} from another process, so a sender
 * cannot pass its signal off as the kernel's.
 */
public final class QueuedSiginfo {
    /** One buffer per thread: a queue per message allocates nothing. */
    private static final ThreadLocal<Pointer> BUFFER = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(Native.runtime(), SiginfoLayout.SIGINFO_BYTES, true));

    private QueuedSiginfo() {
    }

    /** This thread's buffer, filled for {@code signal} carrying {@code value}; valid until this thread's next call. */
    public static Pointer of(int signal, int value) {
        SignalLibC libc = SignalNative.libc();
        Pointer info = BUFFER.get();
        info.putInt(SiginfoLayout.SI_SIGNO, signal);
        info.putInt(SiginfoLayout.SI_CODE, SignalInfo.SI_QUEUE);
        info.putInt(SiginfoLayout.SI_PID, libc.getpid());
        info.putInt(SiginfoLayout.SI_UID, libc.getuid());
        info.putInt(SiginfoLayout.SI_VALUE, value);
        return info;
    }
}
