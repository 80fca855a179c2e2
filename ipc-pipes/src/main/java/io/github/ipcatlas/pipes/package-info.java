/**
 * Anonymous pipes ({@code pipe(2)}) and named pipes ({@code fifo(7)}).
 *
 * <p>Lifecycle of an anonymous pipe: {@link io.github.ipcatlas.pipes.AnonymousPipe#open() open} (both ends
 * close-on-exec) → hand one end to a child ({@code ChildJvm.builder(...).inheritFd(end, 3)}) and close your copy
 * of it → read or write your end → close it (the peer sees end of stream or {@code EPIPE}). The pipe disappears
 * when no process holds an end.
 *
 * <p>Lifecycle of a FIFO: {@link io.github.ipcatlas.pipes.Fifo#create create} (a name, mode 0600) →
 * {@link io.github.ipcatlas.pipes.Fifo#openReader openReader}/{@link io.github.ipcatlas.pipes.Fifo#openWriter
 * openWriter} with a deadline, in any two processes → read and write → close → {@link
 * io.github.ipcatlas.pipes.Fifo#unlink unlink} the name. Closing never removes the name; unlinking never disturbs
 * processes that have it open.
 */
package io.github.ipcatlas.pipes;
