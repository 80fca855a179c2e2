/**
 * Native bindings (jnr-ffi interfaces with C names, one method per function, no logic), the C constants they use,
 * and the small pieces of native plumbing built on them. Not API: other IPC Atlas modules use it, applications should
 * not.
 */
package io.github.ipcatlas.core.internal;
