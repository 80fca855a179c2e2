package io.github.ipcatlas.signals;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Clean exit on {@code SIGTERM}, {@code SIGINT} and {@code SIGHUP}: the registered close actions run — the last
 * registered first, as try-with-resources would close them — each within what is left of one deadline; then the
 * process exits with the conventional status {@code 128 + signal number} (143 for TERM, 130 for INT, 129 for HUP),
 * the status a shell reports for a process its signal ended.
 *
 * <p>Register what a process must not leave behind: {@code onShutdown("unlink /orders", () -> MessageQueue.unlink(…))}.
 * POSIX message queues, shared-memory segments, named semaphores and FIFOs outlive their process; a shutdown hook
 * alone would also run them, but only here is the signal known (for the exit status), the order fixed and the time
 * bounded: an action still running at the deadline is abandoned, the rest skipped and reported, and the process
 * exits anyway.
 *
 * <p>A signal the process ignores when {@code install} is called stays ignored, and is left out of {@link #signals()}:
 * the JVM installs no handler for an ignored {@code SIGHUP}, {@code SIGINT} or {@code SIGTERM}. A process inherits
 * that from whatever started it — {@code nohup} ignores {@code SIGHUP}, a non-interactive shell starts a background
 * job ({@code cmd &}) with {@code SIGINT} ignored — and for those the convention is to stay immune. A JVM started
 * with {@code -Xrs} handles none of the three: {@code signals()} is empty, and only {@code close()} runs the actions.
 *
 * <p>{@link #close()} is the normal end: it runs the actions once and puts the previous handlers back. A second signal
 * during a shutdown is ignored. {@code SIGKILL} cannot be caught: nothing runs (test with it — see the README).
 * One instance per JVM. Thread-safe.
 */
public final class GracefulShutdown implements AutoCloseable {
    /** The signals that ask a process to end. */
    public static final List<Signal> SIGNALS = List.of(Signal.TERM, Signal.INT, Signal.HUP);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final Duration deadline;
    private final Deque<Action> actions = new ArrayDeque<>();
    private final List<SignalHandlers.Registration> registrations = new ArrayList<>();
    /** What {@link #registrations} covered at install; immutable, so {@link #signals()} is safe beside a close. */
    private volatile List<Signal> signals = List.of();
    private final AtomicBoolean ran = new AtomicBoolean();
    private final PrintStream log;
    private final IntConsumer exit;

    private record Action(String description, AutoCloseable action) {
    }

    private GracefulShutdown(Duration deadline, PrintStream log, IntConsumer exit) {
        this.deadline = deadline;
        this.log = log;
        this.exit = exit;
    }

    /**
     * Installs the handlers. Actions get {@code deadline} in total; progress and failures go to stderr.
     *
     * @throws IllegalStateException if one is installed already
     */
    public static GracefulShutdown install(Duration deadline) {
        return install(deadline, System.err, System::exit);
    }

    /** {@link #install(Duration)} with where to report and how to exit (for embedding). */
    public static GracefulShutdown install(Duration deadline, PrintStream log, IntConsumer exit) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(exit, "exit");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline " + deadline + " must be positive");
        }
        if (!INSTALLED.compareAndSet(false, true)) {
            throw new IllegalStateException("a GracefulShutdown is installed already; register actions on it");
        }
        GracefulShutdown shutdown = new GracefulShutdown(deadline, log, exit);
        for (Signal signal : SIGNALS) {
            SignalHandlers.Registration registration = SignalHandlers.registerUnlessIgnored(signal, shutdown::onSignal);
            if (registration != null) {
                shutdown.registrations.add(registration);
            }
        }
        shutdown.signals = shutdown.registrations.stream().map(SignalHandlers.Registration::signal).toList();
        return shutdown;
    }

    /**
     * The signals this instance handles, or handled until {@link #close()} put the previous handlers back:
     * {@link #SIGNALS}, less those the process ignored at {@code install}.
     */
    public List<Signal> signals() {
        return signals;
    }

    /** Adds an action; the last added runs first. */
    public synchronized GracefulShutdown onShutdown(String description, AutoCloseable action) {
        actions.push(new Action(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(action, "action")));
        return this;
    }

    private void onSignal(Signal signal) {
        if (runActions("received " + signal.fullName(), true)) {
            exit.accept(128 + signal.number());
        }
    }

    /**
     * Runs the actions once, on a separate thread, within the deadline. With {@code exiting} (a signal: the process
     * exits next) what the deadline leaves is skipped for good; on a normal end it still runs, late, in the
     * background, since the process goes on and the cleanup must not be lost.
     *
     * @return false if they had run already
     */
    private boolean runActions(String why, boolean exiting) {
        if (!ran.compareAndSet(false, true)) {
            return false;
        }
        List<Action> toRun;
        synchronized (this) {
            toRun = new ArrayList<>(actions);
        }
        log.println("shutdown (" + why + "): " + toRun.size() + " close actions, deadline " + deadline.toMillis()
                + " ms");
        AtomicInteger done = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        Thread runner = new Thread(() -> {
            for (Action action : toRun) {
                if (abandoned.get()) { // the deadline passed: what is left is skipped, not run late beside the exit
                    return;
                }
                try {
                    action.action().close();
                } catch (Exception e) {
                    log.println("shutdown: " + action.description() + " failed: " + e.getMessage());
                }
                done.incrementAndGet();
            }
        }, "graceful shutdown");
        runner.setDaemon(true);
        runner.start();
        try {
            runner.join(Math.max(1, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandoned.set(exiting);
        int finished = done.get();
        if (runner.isAlive() && finished < toRun.size()) { // alive after the last action: only ending, not late
            log.println("shutdown: deadline passed during \"" + toRun.get(finished).description() + "\"; "
                    + (toRun.size() - finished - 1) + (exiting ? " actions skipped" : " actions left to finish in the background"));
        }
        return true;
    }

    /** Normal end: runs the actions (if no signal did) and restores the previous handlers. Idempotent. */
    @Override
    public void close() {
        runActions("normal end", false);
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
        registrations.clear();
        INSTALLED.set(false);
    }
}
