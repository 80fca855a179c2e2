/** Native bindings of the shared-memory module (C names, no logic). Not API. */
package io.github.ipcatlas.shm.internal;
