/**
 * Runnable examples: the Java twin of the write-up's {@code os.pipe} example, a pipe to a child process, a FIFO
 * between two processes, and {@code ProcessBuilder}'s standard-stream pipes. Each has a {@code main} method and is
 * listed by {@code ipc-atlas demo}.
 */
package io.github.ipcatlas.pipes.examples;
