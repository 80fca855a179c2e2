package io.github.ipcatlas.signals.internal;

/**
 * Where the fields the module reads and writes lie in the kernel's two signal-information structures. The offsets
 * are the same on x86-64 and aarch64 (the generic layout of {@code <asm-generic/siginfo.h>} and
 * {@code <linux/signalfd.h>}); both structures are 128 bytes.
 *
 * <pre>
 * siginfo_t (what rt_tgsigqueueinfo takes)     signalfd_siginfo (what a read of a signalfd returns)
 *   0  int si_signo                              0  uint32 ssi_signo
 *   4  int si_errno                              4  int32  ssi_errno
 *   8  int si_code                               8  int32  ssi_code
 *  16  int si_pid    (the _rt member of          12  uint32 ssi_pid
 *  20  int si_uid     the union, after           16  uint32 ssi_uid
 *  24  int si_value   padding to 8 bytes)        44  int32  ssi_int
 * </pre>
 */
public final class SiginfoLayout {
    private SiginfoLayout() {
    }

    /** {@code sizeof(siginfo_t)}. */
    public static final int SIGINFO_BYTES = 128;
    public static final int SI_SIGNO = 0;
    public static final int SI_CODE = 8;
    public static final int SI_PID = 16;
    public static final int SI_UID = 20;
    public static final int SI_VALUE = 24;

    /** {@code sizeof(struct signalfd_siginfo)}. */
    public static final int SIGNALFD_SIGINFO_BYTES = 128;
    public static final int SSI_SIGNO = 0;
    public static final int SSI_CODE = 8;
    public static final int SSI_PID = 12;
    public static final int SSI_UID = 16;
    public static final int SSI_INT = 44;
}
