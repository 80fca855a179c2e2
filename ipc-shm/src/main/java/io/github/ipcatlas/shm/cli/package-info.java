/** The {@code ipc-atlas shm} command (picocli is an optional dependency of this module). */
package io.github.ipcatlas.shm.cli;
