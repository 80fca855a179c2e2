package io.github.ipcatlas.signals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.linux.Syscalls;
import io.github.ipcatlas.signals.internal.QueuedSiginfo;
import io.github.ipcatlas.signals.internal.SiginfoLayout;
import io.github.ipcatlas.signals.internal.SignalLibC;
import io.github.ipcatlas.signals.internal.SignalNative;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Signals read as data from a descriptor ({@code signalfd(2)}): each read returns one pending signal with its
 * sender and, for {@code sigqueue}, its value. Real-time signals are queued — every send arrives, in order, none
 * merged — while a standard signal sent five times before it is read arrives once.
 *
 * <p><b>The catch in a JVM.</b> {@code signalfd} sees only signals that are <i>blocked</i>; a signal directed at the
 * process goes to any thread that does not block it, and for a signal the JVM does not handle (every real-time
 * signal) that means its default action: the process dies. So every thread must block it, and a JVM has threads you
 * do not control (GC, JIT, the signal dispatcher) that copy their mask from the thread that created them. The only
 * reliable way is to block the signal before the JVM starts: {@code ChildJvm.builder(…).blockSignals(n)} (or
 * {@code ChildProcess}) spawns the JVM with that mask. {@link #open} checks every thread and refuses otherwise.
 *
 * <p><b>Or one thread.</b> {@link #openForCallingThread} blocks the signals in the calling thread only and reads
 * signals directed at <i>that thread</i>, which senders address with {@link #queueToThread} — safe without a
 * launcher, because a thread-directed signal never goes elsewhere.
 *
 * <p>Receiving allocates nothing (the {@link SignalInfo} is the caller's). Not thread-safe for reading; close is
 * idempotent.
 */
public final class SignalFd implements AutoCloseable {
    private final FdChannel channel;
    private final Signal[] signals;
    private final ByteBuffer record = ByteBuffer.allocateDirect(SiginfoLayout.SIGNALFD_SIGINFO_BYTES).order(ByteOrder.nativeOrder());
    /** The calling thread's mask before {@link #openForCallingThread}, restored on close; null otherwise. */
    private final Pointer savedMask;
    private final long ownerThread;

    private SignalFd(FdChannel channel, Signal[] signals, Pointer savedMask, long ownerThread) {
        this.channel = channel;
        this.signals = signals;
        this.savedMask = savedMask;
        this.ownerThread = ownerThread;
    }

    /**
     * Reads {@code signals} sent to this process. They must be blocked in every thread of this JVM (see above).
     *
     * @throws IllegalStateException naming the signal and a thread that does not block it, and how to fix that
     */
    public static SignalFd open(Signal... signals) throws IOException {
        check(signals);
        Unblocked unblocked = firstUnblocked(signals);
        if (unblocked != null) {
            Signal signal = unblocked.signal();
            throw new IllegalStateException(signal.fullName() + " is not blocked in thread " + unblocked.thread()
                    + " of this JVM, so it could be delivered there" + (signal.isRealtime()
                    ? " and kill the process (its default action)" : "") + " instead of reaching signalfd; "
                    + "start the JVM with it blocked: ChildJvm.builder(…).blockSignals(" + signal.number() + ")");
        }
        return new SignalFd(openDescriptor(signals), signals.clone(), null, 0);
    }

    /**
     * Blocks {@code signals} in the calling thread and reads those directed at it ({@link #queueToThread}). Close it
     * on the same thread: closing reads away what is still pending and restores the thread's mask.
     */
    public static SignalFd openForCallingThread(Signal... signals) throws IOException {
        check(signals);
        SignalLibC libc = SignalNative.libc();
        Pointer set = signalSet(signals);
        Pointer saved = Memory.allocateDirect(Native.runtime(), SignalLibC.SIGSET_BYTES, true);
        int error = libc.pthread_sigmask(SignalLibC.SIG_BLOCK, set, saved);
        if (error != 0) {
            throw Errors.of("pthread_sigmask", "SIG_BLOCK", error);
        }
        try {
            return new SignalFd(openDescriptor(signals), signals.clone(), saved, libc.gettid());
        } catch (IOException | RuntimeException e) {
            libc.pthread_sigmask(SignalLibC.SIG_SETMASK, saved, null);
            throw e;
        }
    }

    /** The calling thread's id, for {@link #queueToThread}. */
    public static int currentThreadId() {
        return SignalNative.libc().gettid();
    }

    /**
     * Queues {@code signal} with {@code value} for thread {@code tid} of process {@code pid}
     * ({@code rt_tgsigqueueinfo(2)}): it is delivered to that thread only.
     */
    public static void queueToThread(long pid, int tid, Signal signal, int value) throws IOException {
        if (pid < 1 || pid > Integer.MAX_VALUE || tid < 1) {
            throw new IllegalArgumentException("pid " + pid + " and thread " + tid + " must be positive");
        }
        Objects.requireNonNull(signal, "signal").checkSendable(pid == Signals.SELF);
        SignalLibC libc = SignalNative.libc();
        Pointer info = QueuedSiginfo.of(signal.number(), value);
        if (libc.syscall(Syscalls.rtTgsigqueueinfo(), pid, tid, signal.number(), info.address()) != 0) {
            int errno = Native.errno();
            throw Errors.of("rt_tgsigqueueinfo", "pid " + pid + " thread " + tid + ", " + signal.fullName(), errno,
                    errno == Errors.ESRCH ? "no such thread" : null);
        }
    }

    /**
     * Waits up to {@code timeout} for the next signal and fills {@code into}.
     *
     * @return false on timeout
     */
    public boolean receive(SignalInfo into, Duration timeout) throws IOException {
        int n = channel.read(record.clear(), timeout);
        if (n == 0) {
            return false;
        }
        if (n != SiginfoLayout.SIGNALFD_SIGINFO_BYTES) {
            throw new IOException("read(signalfd) returned " + n + " bytes, not one signalfd_siginfo");
        }
        fill(into);
        return true;
    }

    private void fill(SignalInfo into) {
        into.set(Signal.of(record.getInt(SiginfoLayout.SSI_SIGNO)), record.getInt(SiginfoLayout.SSI_PID),
                record.getInt(SiginfoLayout.SSI_UID), record.getInt(SiginfoLayout.SSI_CODE),
                record.getInt(SiginfoLayout.SSI_INT));
    }

    /**
     * Waits for the next signal, without a deadline (one {@code read(2)}, the fastest path), and fills {@code into}.
     * Only for a reader that something else will wake — e.g. a peer whose parent's death is delivered as a signal
     * ({@code prctl(PR_SET_PDEATHSIG)}); otherwise use the timed receive.
     */
    public void receive(SignalInfo into) throws IOException {
        int n = channel.read(record.clear());
        if (n != SiginfoLayout.SIGNALFD_SIGINFO_BYTES) {
            throw new IOException("read(signalfd) returned " + n + " bytes, not one signalfd_siginfo");
        }
        fill(into);
    }

    /** The next signal, or {@code null} after {@code timeout}; allocates a {@link SignalInfo}. */
    public SignalInfo receive(Duration timeout) throws IOException {
        SignalInfo info = new SignalInfo();
        return receive(info, timeout) ? info : null;
    }

    /** The signals this descriptor reads. */
    public List<Signal> signals() {
        return List.of(signals);
    }

    /**
     * Closes the descriptor. Opened for the calling thread: first reads away whatever is still pending (unblocking
     * would deliver it, and a real-time signal's default action ends the process), then restores the mask.
     */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (savedMask != null) {
                if (SignalNative.libc().gettid() != ownerThread) {
                    throw new IllegalStateException("close this SignalFd on the thread that opened it (thread "
                            + ownerThread + "): a signal mask belongs to one thread");
                }
                SignalInfo drained = new SignalInfo();
                while (receive(drained, Duration.ZERO)) {
                    // discard
                }
                SignalNative.libc().pthread_sigmask(SignalLibC.SIG_SETMASK, savedMask, null);
            }
        } finally {
            channel.close();
        }
    }

    /** Whether {@code signal} is blocked in every thread of this JVM right now. */
    public static boolean blockedInEveryThread(Signal signal) throws IOException {
        return firstUnblocked(new Signal[] {signal}) == null;
    }

    /** A signal and a thread ({@code "TID (NAME)"}) of this JVM that does not block it. */
    private record Unblocked(Signal signal, String thread) {
    }

    /** The first of {@code signals} some thread of this JVM does not block, or null: each thread's mask read once. */
    private static Unblocked firstUnblocked(Signal[] signals) throws IOException {
        long pid = ProcessHandle.current().pid();
        List<Path> tasks = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/task"))) {
            list.forEach(tasks::add);
        }
        for (Path task : tasks) {
            long tid = Long.parseLong(task.getFileName().toString());
            try {
                Set<Signal> blocked = SignalDispositions.ofThread(pid, tid).blocked();
                for (Signal signal : signals) {
                    if (!blocked.contains(signal)) {
                        String name = ProcFs.read(task.resolve("comm")).trim();
                        return new Unblocked(signal, tid + " (" + name + ")");
                    }
                }
            } catch (java.nio.file.NoSuchFileException exited) {
                // the thread ended while we looked
            }
        }
        return null;
    }

    private static FdChannel openDescriptor(Signal[] signals) throws IOException {
        int fd = SignalNative.libc().signalfd(-1, signalSet(signals), SignalLibC.SFD_CLOEXEC);
        if (fd < 0) {
            throw Errors.of("signalfd", names(signals), Native.errno());
        }
        return new FdChannel(fd, "signalfd " + names(signals));
    }

    private static Pointer signalSet(Signal[] signals) {
        SignalLibC libc = SignalNative.libc();
        Pointer set = Memory.allocateDirect(Native.runtime(), SignalLibC.SIGSET_BYTES, true);
        libc.sigemptyset(set);
        for (Signal signal : signals) {
            libc.sigaddset(set, signal.number());
        }
        return set;
    }

    private static void check(Signal[] signals) {
        if (signals.length == 0) {
            throw new IllegalArgumentException("no signal to read");
        }
        for (Signal signal : signals) {
            Objects.requireNonNull(signal, "signal");
            if (signal == Signal.KILL || signal == Signal.STOP) {
                throw new IllegalArgumentException(signal.fullName() + " cannot be blocked, so signalfd never sees it");
            }
        }
    }

    private static String names(Signal[] signals) {
        StringBuilder b = new StringBuilder();
        for (Signal s : signals) {
            b.append(b.length() == 0 ? "" : ",").append(s.name());
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return channel.description();
    }
}
