/**
 * Access to a mapping below {@link io.github.ipcatlas.mmap.MappedFile}'s accessors, for modules that build structures
 * in shared memory ({@code ipc-shm}'s ring, mutex and futex waits use it): a raw address under a lease that keeps the
 * memory mapped ({@link io.github.ipcatlas.mmap.access.NativeAccess}), and on JDK 17–21 word access and small copies
 * by address ({@link io.github.ipcatlas.mmap.access.ChunkWords}, {@link io.github.ipcatlas.mmap.access.SmallCopy}),
 * which skip the per-access checks of the JDK's buffer views after one bounds check of their own.
 *
 * <p>Every method here checks its offsets against the mapping; what it cannot check is what the caller does with an
 * address it was given, or that the caller holds the buffer it copies through. Prefer {@code MappedFile}'s own
 * accessors: this package is for the few loops where their per-access guard costs more than the access itself, and
 * it follows the project's version like the rest of the API.
 */
package io.github.ipcatlas.mmap.access;
