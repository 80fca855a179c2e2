/** Runnable examples: the twins of {@code multiprocessing.Value} and {@code Array}. */
package io.github.ipcatlas.shm.examples;
