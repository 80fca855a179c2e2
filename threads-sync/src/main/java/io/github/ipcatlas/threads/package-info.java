/**
 * Communication between threads of one process: shared variables ({@link io.github.ipcatlas.threads.Counter},
 * {@link io.github.ipcatlas.threads.LostUpdate}), locks ({@link io.github.ipcatlas.threads.OrderedLock},
 * {@link io.github.ipcatlas.threads.DeadlockDetector}), events ({@link io.github.ipcatlas.threads.Event},
 * {@link io.github.ipcatlas.threads.AutoResetEvent}), queues ({@link io.github.ipcatlas.threads.ClosableQueue}) and
 * condition variables ({@link io.github.ipcatlas.threads.ConditionBoundedBuffer}). Every class states its
 * thread-safety and its memory-consistency effects.
 */
package io.github.ipcatlas.threads;
