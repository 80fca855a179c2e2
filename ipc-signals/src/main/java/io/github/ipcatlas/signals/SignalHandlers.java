package io.github.ipcatlas.signals;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Handling signals inside a JVM, through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every
 * JDK): the JVM's own signal machinery catches the signal in native code and runs the Java handler on a fresh
 * thread, where anything is allowed — no async-signal-safety rules apply, unlike a C handler.
 *
 * <p>Why not jnr-posix {@code signal()} or a native {@code sigaction} with a Java callback: the callback would run in
 * signal context on whatever thread was interrupted, where allocating, locking or entering the JVM can deadlock or
 * crash; jnr-posix's handler is also lost after a garbage collection, and replaces the JVM's own TERM/INT handling.
 *
 * <p>Only standard, non-reserved signals can be handled this way ({@link Signal#checkHandleable()});
 * real-time signals are read with {@link SignalFd}. Registrations hold strong references until closed.
 * Thread-safe.
 */
public final class SignalHandlers {
    /** Strong references to every live registration, so nothing the JVM dispatches to is ever collected. */
    private static final Map<Registration, Boolean> LIVE = new ConcurrentHashMap<>();

    private SignalHandlers() {
    }

    /** A handler installed for one signal; closing it puts back the handler it replaced. */
    public interface Registration extends AutoCloseable {
        /** The handled signal. */
        Signal signal();

        /** Restores the previous handler. Idempotent. Close registrations of one signal in reverse order. */
        @Override
        void close();
    }

    /**
     * Runs {@code handler} on a JVM-created thread each time {@code signal} is delivered. Deliveries of a standard
     * signal that arrive while one is pending are merged by the kernel: count on "at least once", not on a count.
     *
     * @throws IllegalArgumentException for a reserved or real-time signal, with the reason and an alternative
     * @throws IllegalStateException for {@code SIGHUP}, {@code SIGINT} or {@code SIGTERM} while this process ignores
     *                               it (the JVM leaves those alone then, so the handler would never run), or in a
     *                               JVM started with {@code -Xrs}
     */
    public static Registration register(Signal signal, Consumer<Signal> handler) {
        Registration registration = registerUnlessIgnored(signal, handler);
        if (registration == null) {
            throw new IllegalStateException(ignoredByThisProcess(signal) ? signal.fullName() + " is ignored by this "
                    + "process, and the JVM leaves an ignored SIGHUP, SIGINT or SIGTERM ignored, so a handler would "
                    + "never run. A process inherits that from whatever started it: nohup ignores SIGHUP, a "
                    + "non-interactive shell starts a background job (cmd &) with SIGINT ignored. Start it with the "
                    + "signal at its default action (trap - " + signal.name() + " in the shell that starts it)."
                    : signal.fullName() + " is kept from handlers by this JVM: started with -Xrs, it leaves SIGHUP, "
                    + "SIGINT and SIGTERM to their default actions.");
        }
        return registration;
    }

    /** Whether /proc says the process ignores {@code signal}; false if it cannot be read (an error path only). */
    private static boolean ignoredByThisProcess(Signal signal) {
        try {
            return SignalDispositions.current().ignored().contains(signal);
        } catch (java.io.IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * {@link #register}, or null if {@code signal} is a terminating signal ({@code SIGHUP}, {@code SIGINT},
     * {@code SIGTERM}) that this process ignores. The JVM installs no handler for those then (it keeps a process that
     * was started under {@code nohup} immune, as a C program that checks before installing would be); it reports
     * that only by returning {@code SIG_IGN} as the previous handler, which is put back here. Null too when a JVM
     * started with {@code -Xrs} refuses them.
     */
    static Registration registerUnlessIgnored(Signal signal, Consumer<Signal> handler) {
        Objects.requireNonNull(handler, "handler");
        signal.checkHandleable();
        if (signal.isRealtime()) {
            throw new IllegalArgumentException(signal.fullName() + " is a real-time signal, which the JVM cannot "
                    + "dispatch to a handler; read it with SignalFd (its process must start with it blocked)");
        }
        sun.misc.Signal jdkSignal = new sun.misc.Signal(signal.name());
        sun.misc.SignalHandler ours = delivered -> handler.accept(signal);
        sun.misc.SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(jdkSignal, ours);
        } catch (IllegalArgumentException usedByTheJvm) { // -Xrs: "Signal already used by VM or OS"
            if (GracefulShutdown.SIGNALS.contains(signal)) {
                return null;
            }
            throw usedByTheJvm;
        }
        if (previous == sun.misc.SignalHandler.SIG_IGN && GracefulShutdown.SIGNALS.contains(signal)) {
            sun.misc.Signal.handle(jdkSignal, previous); // forget ours: the JVM never installed it
            return null;
        }
        JdkRegistration registration = new JdkRegistration(signal, jdkSignal, ours, previous);
        LIVE.put(registration, Boolean.TRUE);
        return registration;
    }

    private static final class JdkRegistration implements Registration {
        private final Signal signal;
        private final sun.misc.Signal jdkSignal;
        private final sun.misc.SignalHandler ours;
        private final sun.misc.SignalHandler previous;
        private boolean closed;

        JdkRegistration(Signal signal, sun.misc.Signal jdkSignal, sun.misc.SignalHandler ours,
                        sun.misc.SignalHandler previous) {
            this.signal = signal;
            this.jdkSignal = jdkSignal;
            this.ours = ours;
            this.previous = previous;
        }

        @Override
        public Signal signal() {
            return signal;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            sun.misc.Signal.handle(jdkSignal, previous);
            LIVE.remove(this);
        }

        @Override
        public String toString() {
            return "handler for " + signal.fullName() + (closed ? " (closed)" : "") + " " + ours;
        }
    }
}
