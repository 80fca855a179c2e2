/**
 * The Linux layer every IPC Atlas module is built on (the other modules use it, {@code ipc-core}'s root package and
 * {@code core.cli}, the conventions of their commands): the process-wide libc binding ({@link io.github.ipcatlas.core.linux.Native},
 * {@link io.github.ipcatlas.core.linux.LibC}: jnr-ffi, C names, one method per function, no logic), errno, the C
 * constants and structure sizes of x86-64 and aarch64 ({@link io.github.ipcatlas.core.linux.LinuxConstants},
 * {@link io.github.ipcatlas.core.linux.Syscalls}), the layouts of small kernel structures
 * ({@link io.github.ipcatlas.core.linux.KernelStructs}), {@code struct pollfd} and {@code struct timespec} helpers, and
 * {@link io.github.ipcatlas.core.linux.Leases}, the close-safe state behind every descriptor and mapping.
 *
 * <p>It is API for code that binds further Linux calls beside the modules, at the level of C: the methods of
 * {@code LibC} take raw descriptors and addresses and check nothing, exactly as the C functions do, so a wrong
 * argument is undefined behaviour, as in C. Applications that only want to talk between processes use the modules'
 * root packages, which check every argument first. It follows the project's version, like the rest of the API; a
 * binding is added here when a module needs it.
 */
package io.github.ipcatlas.core.linux;
