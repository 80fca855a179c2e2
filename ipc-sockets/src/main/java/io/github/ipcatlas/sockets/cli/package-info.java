/** The {@code ipc-atlas socket} command: picocli is an optional dependency, needed only to run it. */
package io.github.ipcatlas.sockets.cli;
