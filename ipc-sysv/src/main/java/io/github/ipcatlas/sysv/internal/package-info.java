/** Native bindings and C structure layouts of the System V module. Not API. */
package io.github.ipcatlas.sysv.internal;
