/** Native bindings of the pipes module (C names, no logic). Not API. */
package io.github.ipcatlas.pipes.internal;
