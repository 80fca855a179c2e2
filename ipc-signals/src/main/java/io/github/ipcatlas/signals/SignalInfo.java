package io.github.ipcatlas.signals;

/**
 * One signal as {@link SignalFd} read it ({@code struct signalfd_siginfo}): which signal, who sent it, how, and the
 * value a {@code sigqueue} carried. Mutable so that a reader can reuse one instance per receive (no garbage); not
 * thread-safe.
 */
public final class SignalInfo {
    /** {@code si_code} of {@code kill(2)}. */
    public static final int SI_USER = 0;
    /** {@code si_code} of {@code sigqueue(3)}. */
    public static final int SI_QUEUE = -1;
    /** {@code si_code} of {@code tgkill(2)}. */
    public static final int SI_TKILL = -6;

    private Signal signal;
    private int senderPid;
    private int senderUid;
    private int code;
    private int value;

    void set(Signal signal, int senderPid, int senderUid, int code, int value) {
        this.signal = signal;
        this.senderPid = senderPid;
        this.senderUid = senderUid;
        this.code = code;
        this.value = value;
    }

    /** The signal. */
    public Signal signal() {
        return signal;
    }

    /** The sender's pid ({@code ssi_pid}). */
    public int senderPid() {
        return senderPid;
    }

    /** The sender's real user id. */
    public int senderUid() {
        return senderUid;
    }

    /** How it was sent ({@code ssi_code}): {@link #SI_USER}, {@link #SI_QUEUE}, {@link #SI_TKILL}, or a kernel code. */
    public int code() {
        return code;
    }

    /** Whether it came from {@code sigqueue} (or {@code rt_tgsigqueueinfo}) and so carries a {@link #value()}. */
    public boolean hasValue() {
        return code == SI_QUEUE;
    }

    /** The integer a {@code sigqueue} carried ({@code ssi_int}); meaningless unless {@link #hasValue()}. */
    public int value() {
        return value;
    }

    /** A copy, for keeping. */
    public SignalInfo copy() {
        SignalInfo copy = new SignalInfo();
        copy.set(signal, senderPid, senderUid, code, value);
        return copy;
    }

    @Override
    public String toString() {
        return signal.fullName() + (hasValue() ? " value " + value : "") + " from pid " + senderPid;
    }
}
