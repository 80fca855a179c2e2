/**
 * System V IPC ({@code sysvipc(7)}): message queues with types, shared-memory segments and semaphore sets, the
 * older family that much C code and most published IPC benchmarks still use.
 *
 * <p>Lifecycle: pick a {@link io.github.ipcatlas.sysv.SysvKey} (a number both sides agree on, one made by
 * {@link io.github.ipcatlas.sysv.SysvKey#ftok ftok}, or {@code IPC_PRIVATE} and pass the id) → {@code create}
 * (mode 0600) or {@code open} → use → {@code close()} the handle → {@code remove()} the object. The pitfall to learn
 * first: <b>System V objects outlive every process</b>. Nothing removes them when their creator exits, crashes or
 * closes its handle; they stay, holding kernel memory and their key, until removed ({@code ipcs} lists them,
 * {@code ipcrm} removes them) or the machine reboots.
 */
package io.github.ipcatlas.sysv;
