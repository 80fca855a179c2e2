/** The {@code ipc-atlas signal} command: picocli is an optional dependency, needed only to run it. */
package io.github.ipcatlas.signals.cli;
