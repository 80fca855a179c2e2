package io.github.ipcatlas.signals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.PollFd;
import io.github.ipcatlas.core.linux.Syscalls;
import io.github.ipcatlas.signals.internal.QueuedSiginfo;
import io.github.ipcatlas.signals.internal.SignalNative;

/**
 * A process by descriptor ({@code pidfd_open(2)}, Linux 5.3): signals sent through it reach that process or nobody,
 * and it becomes readable when the process exits.
 *
 * <p><b>Why.</b> A pid is a number the kernel hands out again once a process has been reaped. {@code kill(pid, …)}
 * from a supervisor that read the pid a moment ago can hit an unrelated process that got the same number meanwhile.
 * A pidfd refers to one process for as long as it is open: once that process is gone, {@link #send} fails with
 * {@code ESRCH} instead of signalling a stranger. And a process that is not our child cannot be waited for with
 * {@code waitpid}; its pidfd can be {@code poll}ed — {@link #awaitExit} does, with a deadline.
 *
 * <pre>{@code
 * try (PidFd worker = PidFd.of(process.toHandle())) {       // checked: still the process the handle names
 *     worker.send(Signal.TERM);
 *     if (!worker.awaitExit(Duration.ofSeconds(5))) {
 *         worker.send(Signal.KILL);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Opening by number still races once.</b> {@link #open(long)} opens whatever process has the number now. A
 * Java program cannot hold a child unreaped (the JDK's or {@code ChildProcess}'s reaper collects it the moment it
 * exits), so open the pidfd while the process is known to be running, or through {@link #of(ProcessHandle)}, which
 * checks after opening that the handle's process is still alive. The JDK identifies that process by pid and start
 * time, and the start time is counted in clock ticks (10 ms): a process that got the same number within the same
 * tick — possible only when pids are reused at once, as after the pid space wrapped — passes the check.
 *
 * <p>The descriptor is opened close-on-exec (the kernel's default for pidfds). Thread-safe: any number of threads may
 * wait at once, each with its own deadline; {@link #close()} is idempotent, and a wait in another thread notices it
 * within {@value #SLICE_MILLIS} ms. Signals that would crash this JVM are refused when the process is this JVM
 * ({@link Signals}).
 */
public final class PidFd implements AutoCloseable {
    /** The longest single poll of a wait, so that a close from another thread ends it soon. */
    private static final int SLICE_MILLIS = PollFd.SLICE_MILLIS;

    private final long pid;
    private final FdChannel channel;

    private PidFd(long pid, FdChannel channel) {
        this.pid = pid;
        this.channel = channel;
    }

    /**
     * Opens a descriptor for the process that has the number {@code pid} now ({@code pidfd_open(pid, 0)}).
     *
     * @throws IllegalArgumentException if {@code pid} is not a positive pid
     * @throws io.github.ipcatlas.core.ErrnoException {@code ESRCH} if no such process exists; {@code ENOENT} (or
     *     {@code EINVAL} before Linux 5.10) for the id of a thread that is not a process's main thread — the message
     *     names the process; {@code ENOSYS} before Linux 5.3
     */
    public static PidFd open(long pid) throws IOException {
        if (pid < 1 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id (1 to " + Integer.MAX_VALUE + ")");
        }
        long fd = SignalNative.libc().syscall(Syscalls.pidfdOpen(), (int) pid, 0, 0, 0);
        if (fd < 0) {
            int errno = Native.errno();
            throw Errors.of("pidfd_open", "pid " + pid, errno, errno == Errors.ESRCH ? "no such process"
                    : errno == Errors.ENOSYS ? "pidfds need Linux 5.3 or newer"
                    : errno == Errors.ENOENT || errno == Errors.EINVAL ? threadHint(pid) : null);
        }
        return new PidFd(pid, new FdChannel((int) fd, "pidfd of pid " + pid));
    }

    /**
     * Opens a descriptor for the process {@code process} names, and checks that it is still that process (the JDK's
     * handle knows its start time): no stranger that inherited the number can be signalled through it.
     *
     * @throws IOException if the process has already exited
     */
    public static PidFd of(ProcessHandle process) throws IOException {
        Objects.requireNonNull(process, "process");
        PidFd pidFd = open(process.pid());
        if (!process.isAlive()) { // the number may be a stranger's now: the handle compares start times
            pidFd.close();
            throw new IOException("process " + process.pid() + " has already exited");
        }
        return pidFd;
    }

    /** Why {@code pidfd_open} refused {@code pid} with ENOENT or EINVAL: it is a thread of another process, say. */
    private static String threadHint(long pid) {
        try {
            return ProcFs.read(Path.of("/proc/" + pid + "/status")).lines().filter(line -> line.startsWith("Tgid:"))
                    .map(line -> line.substring(5).strip()).filter(tgid -> !tgid.equals(String.valueOf(pid)))
                    .map(tgid -> pid + " is a thread of process " + tgid + "; pass the process id").findFirst()
                    .orElse(null);
        } catch (IOException gone) {
            return null;
        }
    }

    /** The pid this descriptor was opened for. */
    public long pid() {
        return pid;
    }

    /**
     * Sends {@code signal} to this process ({@code pidfd_send_signal(2)}).
     *
     * @throws io.github.ipcatlas.core.ErrnoException {@code ESRCH} once the process has exited and been reaped, never
     *     a signal to another process
     */
    public void send(Signal signal) throws IOException {
        Objects.requireNonNull(signal, "signal").checkSendable(pid == Signals.SELF);
        sendSignal(signal, 0L);
    }

    /**
     * Queues {@code signal} with {@code value} for this process, as {@link Signals#queue} does by pid: a real-time
     * signal arrives once per call with its value ({@code si_code} {@code SI_QUEUE}).
     */
    public void queue(Signal signal, int value) throws IOException {
        Objects.requireNonNull(signal, "signal").checkSendable(pid == Signals.SELF);
        sendSignal(signal, QueuedSiginfo.of(signal.number(), value).address());
    }

    private void sendSignal(Signal signal, long siginfo) throws IOException {
        try (DescriptorLease lease = channel.lease()) {
            if (SignalNative.libc().syscall(Syscalls.pidfdSendSignal(), lease.fd(), signal.number(), siginfo, 0) != 0) {
                int errno = Native.errno();
                throw Errors.of("pidfd_send_signal", "pid " + pid + ", " + signal.fullName(), errno,
                        errno == Errors.ESRCH ? "the process has exited" : errno == Errors.EPERM
                                ? "the process belongs to another user" : null);
            }
        }
    }

    /**
     * Waits at most {@code timeout} for the process to exit (its pidfd becomes readable). Works for any process, not
     * only children; it says nothing of the exit status, which only the parent can collect.
     *
     * @return true once the process has exited, false if it was still running at the deadline
     * @throws ClosedChannelException if this descriptor is closed, before or during the wait
     */
    public boolean awaitExit(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            if (readable(Math.min(SLICE_MILLIS, deadline.remainingMillis()))) {
                return true;
            }
            if (deadline.expired()) {
                return false;
            }
        }
    }

    /** Whether the process has exited (a zero-timeout {@link #awaitExit}). */
    public boolean hasExited() throws IOException {
        return readable(0);
    }

    /**
     * One {@code poll(2)} of the pidfd for at most {@code timeoutMillis}, under a lease and with this thread's own
     * {@code pollfd}, so that waits in several threads never queue behind one another; false on timeout or EINTR.
     */
    private boolean readable(int timeoutMillis) throws IOException {
        try (DescriptorLease lease = channel.lease()) {
            int revents = PollFd.pollThisThread(lease.fd(), LinuxConstants.POLLIN, timeoutMillis);
            if (revents < 0) {
                throw Errors.of("poll", "pidfd of pid " + pid, Native.errno());
            }
            if ((revents & LinuxConstants.POLLNVAL) != 0) { // cannot be, leased: but never "exited"
                throw Errors.of("poll", "pidfd of pid " + pid, Errors.EBADF);
            }
            return revents != 0;
        }
    }

    /**
     * The descriptor, leased: its number names this pidfd until the lease is closed, whatever other threads do — to
     * pass it to a child or over {@code SCM_RIGHTS}.
     */
    public DescriptorLease lease() throws ClosedChannelException {
        return channel.lease();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "PidFd[pid " + pid + (isOpen() ? "" : ", closed") + "]";
    }
}
