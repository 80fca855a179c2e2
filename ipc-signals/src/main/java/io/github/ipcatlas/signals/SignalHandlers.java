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
     */
    public static Registration register(Signal signal, Consumer<Signal> handler) {
        Objects.requireNonNull(handler, "handler");
        signal.checkHandleable();
        if (signal.isRealtime()) {
            throw new IllegalArgumentException(signal.fullName() + " is a real-time signal, which the JVM cannot "
                    + "dispatch to a handler; read it with SignalFd (its process must start with it blocked)");
        }
        sun.misc.Signal jdkSignal = new sun.misc.Signal(signal.name());
        sun.misc.SignalHandler ours = delivered -> handler.accept(signal);
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(jdkSignal, ours);
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
