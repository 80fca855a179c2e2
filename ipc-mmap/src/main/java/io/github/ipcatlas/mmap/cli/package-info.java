/** The {@code ipc-atlas mmap} command (picocli is an optional dependency of this module). */
package io.github.ipcatlas.mmap.cli;
