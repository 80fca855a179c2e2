/** Native bindings for what {@code java.nio} lacks: socketpair and getsockopt. Not API. */
package io.github.ipcatlas.sockets.internal;
