/** Native bindings and C structure layouts of the message-queue module. Not API. */
package io.github.ipcatlas.mqueue.internal;
