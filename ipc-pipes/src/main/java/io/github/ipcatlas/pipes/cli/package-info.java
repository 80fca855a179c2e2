/** The {@code ipc-atlas fifo} command (picocli is an optional dependency of this module). */
package io.github.ipcatlas.pipes.cli;
