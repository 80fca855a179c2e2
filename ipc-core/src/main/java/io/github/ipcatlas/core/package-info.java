/**
 * What every IPC Atlas module needs: errno to exception mapping ({@link io.github.ipcatlas.core.Errors}), native
 * library probing ({@link io.github.ipcatlas.core.NativeLibrary}), POSIX IPC names
 * ({@link io.github.ipcatlas.core.IpcNames}), channels over raw descriptors
 * ({@link io.github.ipcatlas.core.FdChannel}) and child processes that inherit chosen descriptors
 * ({@link io.github.ipcatlas.core.ChildProcess}, {@link io.github.ipcatlas.core.ChildJvm}).
 */
package io.github.ipcatlas.core;
