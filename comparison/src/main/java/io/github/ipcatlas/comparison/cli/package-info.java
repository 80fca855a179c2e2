/** The commands {@code ipc-atlas} adds to those the mechanism modules contribute. */
package io.github.ipcatlas.comparison.cli;
