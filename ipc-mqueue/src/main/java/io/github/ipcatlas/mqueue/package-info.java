/**
 * POSIX message queues ({@code mq_overview(7)}).
 *
 * <p>Lifecycle: {@link io.github.ipcatlas.mqueue.MessageQueue#create create} (a name such as {@code /orders},
 * mode 0600, fixed capacity and message size) → {@link io.github.ipcatlas.mqueue.MessageQueue#open open} in any
 * process that knows the name → send and receive whole messages with priorities → {@code close()} each descriptor →
 * {@link io.github.ipcatlas.mqueue.MessageQueue#unlink unlink} the name. The queue and its messages persist in the
 * kernel until unlinked, even when no process has it open. {@link io.github.ipcatlas.mqueue.ObjectQueue} puts
 * objects through a queue, as Python's {@code multiprocessing.Queue} does.
 */
package io.github.ipcatlas.mqueue;
