/** The {@code ipc-atlas sysv} command: System V message queues and shared memory from the shell. */
package io.github.ipcatlas.sysv.cli;
