/** The runnable Java twin of the write-up's signals idea, listed by {@code ipc-atlas demo}. */
package io.github.ipcatlas.signals.examples;
