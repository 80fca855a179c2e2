package io.github.ipcatlas.core.linux;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The libc functions every module needs: descriptors, polling, processes and {@code posix_spawn}.
 * One method per C function, C names, no logic. Errors are read with {@code LastError} right after the call;
 * the {@code posix_spawn*} family returns the error number instead of setting errno.
 */
public interface LibC {
    int close(int fd);

    /**
     * {@code read(2)} into native memory at {@code address}. Addresses rather than {@code ByteBuffer} parameters:
     * jnr-ffi resolves a buffer's address on every call, which cost about 150 ns per call here.
     */
    long read(int fd, long address, long count);

    /** {@code write(2)} from native memory at {@code address}; see {@link #read}. */
    long write(int fd, long address, long count);

    /** {@code poll(2)} on an array of {@code struct pollfd} (see {@link PollFd}). */
    int poll(Pointer fds, long nfds, int timeoutMillis);

    int fcntl(int fd, int cmd, int arg);

    int pipe2(@Out int[] fds, int flags);

    /**
     * Paths go to C as UTF-8, as the JDK writes file names in a UTF-8 locale; in any other locale a Java path
     * cannot hold a character outside ASCII at all.
     */
    int open(@Encoding("UTF-8") CharSequence path, int flags, int mode);

    int unlink(@Encoding("UTF-8") CharSequence path);

    int waitpid(int pid, @Out IntByReference status, int options);

    int kill(int pid, int signal);

    int getpid();

    /** {@code clock_gettime(2)} into the {@code struct timespec} at address {@code timespec}. */
    int clock_gettime(int clock, long timespec);

    /** {@code sched_setaffinity(2)}; pid 0 is the calling thread. */
    int sched_setaffinity(int pid, long cpuSetSize, Pointer mask);

    /** {@code sched_getaffinity(2)}; a pid is a thread id, the process's own pid its main thread. */
    int sched_getaffinity(int pid, long cpuSetSize, Pointer mask);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, @Encoding("UTF-8") CharSequence path, int flags,
                                         int mode);

    /** glibc 2.34+: close every descriptor from {@code lowFd} up in the child. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer signalSet);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signalSet);

    int posix_spawnp(@Out IntByReference pid, CharSequence file, Pointer fileActions, Pointer attributes,
                     Pointer argv, Pointer envp);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigdelset(Pointer set, int signal);

    int sigaddset(Pointer set, int signal);
}
