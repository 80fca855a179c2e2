/** Runnable examples: the Java twin of the write-up's {@code multiprocessing.Queue} example. */
package io.github.ipcatlas.mqueue.examples;
