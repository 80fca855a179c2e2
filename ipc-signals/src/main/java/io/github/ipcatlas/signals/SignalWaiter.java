package io.github.ipcatlas.signals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Signals turned into events a thread can wait for: {@code await(USR1, timeout)} instead of a callback. Handlers
 * (see {@link SignalHandlers}) count each delivery; {@link #await} consumes one. Closing restores the previous
 * handlers.
 *
 * <p>A standard signal sent several times before it is delivered arrives once (the kernel keeps one pending bit per
 * signal), so counts here are deliveries, not sends. Thread-safe.
 */
public final class SignalWaiter implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final long[] delivered = new long[65];
    private final List<SignalHandlers.Registration> registrations = new ArrayList<>();
    /** Deliveries not consumed yet, oldest first. */
    private final List<Signal> pending = new ArrayList<>();

    private SignalWaiter() {
    }

    /**
     * Starts counting deliveries of {@code signals}.
     *
     * @throws IllegalArgumentException if one cannot be handled (nothing stays installed)
     */
    public static SignalWaiter open(Signal... signals) {
        if (signals.length == 0) {
            throw new IllegalArgumentException("no signal to wait for");
        }
        for (Signal signal : signals) {
            signal.checkHandleable();
        }
        SignalWaiter waiter = new SignalWaiter();
        try {
            for (Signal signal : signals) {
                waiter.registrations.add(SignalHandlers.register(signal, waiter::onSignal));
            }
        } catch (RuntimeException e) {
            waiter.close();
            throw e;
        }
        return waiter;
    }

    private void onSignal(Signal signal) {
        lock.lock();
        try {
            delivered[signal.number()]++;
            pending.add(signal);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code signal} has been delivered and consumes one delivery; false on timeout. */
    public boolean await(Signal signal, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!pending.remove(signal)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next delivered signal of any watched kind, consumed; empty on timeout. */
    public Optional<Signal> next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                arrived.awaitNanos(left);
            }
            return Optional.of(pending.remove(0));
        } finally {
            lock.unlock();
        }
    }

    /** How many times {@code signal} has been delivered since {@link #open}. */
    public long deliveries(Signal signal) {
        lock.lock();
        try {
            return delivered[signal.number()];
        } finally {
            lock.unlock();
        }
    }

    /** Restores the handlers that were there before. Idempotent. */
    @Override
    public void close() {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
    }
}
