package io.github.ipcatlas.signals.internal;

import jnr.ffi.Pointer;

/** The signal calls of libc ({@code signal(7)}). C names, no logic. */
public interface SignalLibC {
    int SFD_CLOEXEC = 0x80000;
    /** {@code sizeof(sigset_t)} in glibc (the kernel uses the first 8 bytes). */
    int SIGSET_BYTES = 128;

    int kill(int pid, int signal);

    int killpg(int processGroup, int signal);

    /** {@code sigqueue(pid, sig, union sigval)}: the 8-byte union travels in a register, as a {@code long}. */
    int sigqueue(int pid, int signal, long value);

    int signalfd(int fd, Pointer mask, int flags);

    int sigemptyset(Pointer set);

    int sigaddset(Pointer set, int signal);

    /** {@code pthread_sigmask(SIG_BLOCK=0/SIG_UNBLOCK=1/SIG_SETMASK=2, set, old)}; returns the error number. */
    int pthread_sigmask(int how, Pointer set, Pointer old);

    /** What {@code SIGRTMIN} expands to: glibc keeps the first two real-time signals for its threads. */
    int __libc_current_sigrtmin();

    int __libc_current_sigrtmax();

    int getpgid(int pid);

    int getppid();

    /** {@code prctl(option, arg2, 0, 0, 0)}. */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int PR_SET_PDEATHSIG = 1;

    /** The calling thread's id (glibc 2.30+). */
    int gettid();

    int getuid();

    int getpid();

    /**
     * {@code syscall(number, a1, a2, a3, a4)}, every argument register-wide, for the calls glibc has no wrapper for
     * (or only a recent one): {@code rt_tgsigqueueinfo} (a queued signal with a value for one thread of a process; glibc's
     * {@code pthread_sigqueue} works only inside the caller's process), {@code pidfd_open}, {@code pidfd_send_signal}.
     * Numbers come from {@code Syscalls}; unused arguments are passed as 0.
     */
    @jnr.ffi.annotations.Variadic(fixedCount = 1)
    long syscall(long number, long a1, long a2, long a3, long a4);

    int SIG_BLOCK = 0;
    int SIG_SETMASK = 2;
}
