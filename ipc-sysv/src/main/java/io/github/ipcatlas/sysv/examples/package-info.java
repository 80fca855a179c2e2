/** Runnable examples of System V IPC, listed by {@code ipc-atlas demo}. */
package io.github.ipcatlas.sysv.examples;
