/**
 * Conventions shared by every {@code ipc-atlas} command (picocli is an optional dependency of this module).
 */
package io.github.ipcatlas.core.cli;
