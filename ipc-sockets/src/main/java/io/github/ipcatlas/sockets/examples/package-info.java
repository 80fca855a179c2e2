/** Runnable Java twins of the write-up's socket example, listed by {@code ipc-atlas demo}. */
package io.github.ipcatlas.sockets.examples;
