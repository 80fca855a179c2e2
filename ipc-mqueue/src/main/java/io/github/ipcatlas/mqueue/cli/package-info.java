/** The {@code ipc-atlas mq} command (picocli is an optional dependency of this module). */
package io.github.ipcatlas.mqueue.cli;
