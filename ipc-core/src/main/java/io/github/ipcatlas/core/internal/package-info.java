/**
 * Not API: {@code posix_spawn} with its file actions and attributes, behind
 * {@link io.github.ipcatlas.core.ChildProcessBuilder}. No other module uses it; it may change in any release.
 */
package io.github.ipcatlas.core.internal;
