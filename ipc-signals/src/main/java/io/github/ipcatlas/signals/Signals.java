package io.github.ipcatlas.signals;

import java.io.IOException;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.signals.internal.SignalLibC;
import io.github.ipcatlas.signals.internal.SignalNative;

/**
 * Sending signals: to one process ({@code kill(2)}), to a process group ({@code killpg(3)}), or queued with an
 * integer payload ({@code sigqueue(3)}). Every pid is checked first: {@code kill(0, …)} would signal the caller's
 * whole process group and {@code kill(-1, …)} every process the caller may signal — the latter, as root, is nearly
 * every process on the machine — so those are only reachable through {@link #sendToGroup}, on purpose.
 *
 * <p>Signals that would crash this JVM — ILL, FPE, SEGV, BUS (faults of its own code, as it sees them) and USR2
 * (HotSpot's thread suspension) — are refused when the target is this JVM or its process group.
 *
 * <p>Errors name the call, the target and the errno: {@code kill(pid 99999, SIGTERM) failed: ESRCH (No such
 * process)}; {@code EPERM} means the target belongs to another user. Thread-safe; allocates nothing.
 */
public final class Signals {
    private static final int ESRCH = 3;
    /** This JVM's pid: the target some signals must not be sent to ({@link Signal#checkSendable}). */
    static final long SELF = ProcessHandle.current().pid();

    private Signals() {
    }

    /** Sends {@code signal} to the process {@code pid} ({@code kill(2)}). */
    public static void send(long pid, Signal signal) throws IOException {
        int target = checkPid(pid);
        Objects.requireNonNull(signal, "signal").checkSendable(pid == SELF);
        if (SignalNative.libc().kill(target, signal.number()) != 0) {
            throw failure("kill", "pid " + pid + ", " + signal.fullName());
        }
    }

    /** Sends {@code signal} to a process, e.g. a child started with {@link ProcessBuilder}. */
    public static void send(ProcessHandle process, Signal signal) throws IOException {
        send(process.pid(), signal);
    }

    /**
     * Sends {@code signal} to every process in the process group {@code processGroup} ({@code killpg(3)}): how a
     * shell's Ctrl-C reaches every process of a pipeline.
     */
    public static void sendToGroup(long processGroup, Signal signal) throws IOException {
        int group = checkPid(processGroup);
        Objects.requireNonNull(signal, "signal").checkSendable(group == SignalNative.libc().getpgid(0));
        if (SignalNative.libc().killpg(group, signal.number()) != 0) {
            throw failure("killpg", "process group " + processGroup + ", " + signal.fullName());
        }
    }

    /**
     * Queues {@code signal} with {@code value} for {@code pid} ({@code sigqueue(3)}). A real-time signal is queued
     * once per call and arrives with its value ({@code si_value}, read by {@link SignalFd}); a standard signal
     * already pending is merged with this one, value and all.
     *
     * @throws io.github.ipcatlas.core.ErrnoException with {@code EAGAIN} when the receiver's queue is full
     *     ({@code RLIMIT_SIGPENDING})
     */
    public static void queue(long pid, Signal signal, int value) throws IOException {
        int target = checkPid(pid);
        Objects.requireNonNull(signal, "signal").checkSendable(pid == SELF);
        if (SignalNative.libc().sigqueue(target, signal.number(), Integer.toUnsignedLong(value)) != 0) {
            int errno = Native.errno();
            throw Errors.of("sigqueue", "pid " + pid + ", " + signal.fullName() + ", value " + value, errno,
                    errno == Errors.EAGAIN ? "the receiver has RLIMIT_SIGPENDING signals queued already (ulimit -i)"
                            : errno == ESRCH ? "no such process" : null);
        }
    }

    /** Whether {@code pid} exists (and we may signal it): {@code kill(pid, 0)}, the null signal. */
    public static boolean isAlive(long pid) {
        int target = checkPid(pid);
        return SignalNative.libc().kill(target, 0) == 0 || Native.errno() == Errors.EPERM;
    }

    /**
     * Asks the kernel to send this process {@code signal} when its parent ends ({@code prctl(PR_SET_PDEATHSIG)}):
     * how a child that blocks forever learns that nobody will ever talk to it again. Strictly, it fires when the
     * parent <i>thread</i> that started this process exits.
     *
     * @throws IOException if the parent has already gone (this process was re-parented)
     */
    public static void sendOnParentDeath(Signal signal, long expectedParent) throws IOException {
        Objects.requireNonNull(signal, "signal");
        if (SignalNative.libc().prctl(SignalLibC.PR_SET_PDEATHSIG,
                signal.number(), 0, 0, 0) != 0) {
            throw failure("prctl(PR_SET_PDEATHSIG)", signal.fullName());
        }
        if (SignalNative.libc().getppid() != expectedParent) { // it died before the prctl: no signal will come
            throw new IOException("the parent process " + expectedParent + " has already ended");
        }
    }

    /** The process group of {@code pid} ({@code getpgid(2)}). */
    public static long processGroupOf(long pid) throws IOException {
        int group = SignalNative.libc().getpgid(checkPid(pid));
        if (group < 0) {
            throw failure("getpgid", "pid " + pid);
        }
        return group;
    }

    private static IOException failure(String call, String object) {
        int errno = Native.errno();
        return Errors.of(call, object, errno, errno == ESRCH ? "no such process"
                : errno == Errors.EPERM ? "the target belongs to another user" : null);
    }

    private static int checkPid(long pid) {
        if (pid == 0) {
            throw new IllegalArgumentException("pid 0 means the caller's own process group; to signal a group, use "
                    + "sendToGroup with its number");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("pid " + pid + " is negative: -1 means every process you may signal "
                    + "and -N the group N; to signal a group, use sendToGroup(N, …)");
        }
        if (pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid " + pid + " is larger than any pid");
        }
        return (int) pid;
    }
}
