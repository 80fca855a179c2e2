/** Native bindings for sending, queueing and reading signals. Not API. */
package io.github.ipcatlas.signals.internal;
