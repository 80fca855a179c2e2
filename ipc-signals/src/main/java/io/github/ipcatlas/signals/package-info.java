/**
 * Signals between processes and inside a JVM: {@link io.github.ipcatlas.signals.Signal} (names, numbers, what the
 * JVM reserves), {@link io.github.ipcatlas.signals.Signals} (kill, killpg, sigqueue),
 * {@link io.github.ipcatlas.signals.SignalHandlers} and {@link io.github.ipcatlas.signals.SignalWaiter} (handling
 * through {@code sun.misc.Signal}), {@link io.github.ipcatlas.signals.SignalFd} (real-time signals and their values,
 * read from a descriptor), {@link io.github.ipcatlas.signals.GracefulShutdown} (clean exit on TERM/INT/HUP) and
 * {@link io.github.ipcatlas.signals.SignalDispositions} (what a process blocks, ignores and catches).
 *
 * <p>Lifecycle of a handler: register → deliveries → close (the previous handler is back). Of a signalfd: start the
 * JVM with the signals blocked → open → receive → close.
 */
package io.github.ipcatlas.signals;
