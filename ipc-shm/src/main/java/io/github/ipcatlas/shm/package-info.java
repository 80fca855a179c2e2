/**
 * POSIX shared memory ({@code shm_overview(7)}).
 *
 * <p>Lifecycle: {@link io.github.ipcatlas.shm.SharedMemory#create create} (a name such as {@code /prices}, mode
 * 0600, memory reserved) → {@link io.github.ipcatlas.shm.SharedMemory#open open} by name in any process → read
 * and write the mapped memory, directly or through {@link io.github.ipcatlas.shm.SharedLong},
 * {@link io.github.ipcatlas.shm.SharedDouble} and {@link io.github.ipcatlas.shm.SharedLongArray} → {@code close()}
 * (the collector unmaps) → {@link io.github.ipcatlas.shm.SharedMemory#unlink unlink} the name. The segment lives in
 * {@code /dev/shm} until unlinked.
 */
package io.github.ipcatlas.shm;
