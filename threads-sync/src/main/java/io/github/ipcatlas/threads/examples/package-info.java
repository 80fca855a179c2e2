/**
 * Runnable examples: the Java twins of the write-up's five thread examples, plus the forced race, a deadlock, and
 * producer/consumer shutdown. Each has a {@code main} method and is listed by {@code ipc-atlas demo}.
 */
package io.github.ipcatlas.threads.examples;
