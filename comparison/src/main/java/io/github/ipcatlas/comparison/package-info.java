/** The {@code ipc-atlas} command: tools, demos and the benchmark of every mechanism. */
package io.github.ipcatlas.comparison;
