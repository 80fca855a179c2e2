/** Runnable examples: two processes sharing one file mapping. */
package io.github.ipcatlas.mmap.examples;
