/** Native bindings and JDK internals the mmap module needs (posix_fallocate, unmapping). Not API. */
package io.github.ipcatlas.mmap.internal;
