/**
 * Memory-mapped files ({@code mmap(2)}) shared between processes.
 *
 * <p>Lifecycle: {@link io.github.ipcatlas.mmap.MappedFile#create create} (grow the file, mode 0600) or
 * {@link io.github.ipcatlas.mmap.MappedFile#map map} an existing file → read and write memory, which every process
 * mapping the file shares through the page cache → {@link io.github.ipcatlas.mmap.MappedFile#force force} for
 * durability → {@link io.github.ipcatlas.mmap.MappedFile#close close}, after which every access fails cleanly (never a
 * crash). On top: {@link io.github.ipcatlas.mmap.FileRegionLock} (advisory open-file-description locks),
 * {@link io.github.ipcatlas.mmap.SeqLockRecord} (a record readers never see half written, which a killed writer
 * cannot wedge) and {@link io.github.ipcatlas.mmap.MappedLog} (a crash-safe log).
 */
package io.github.ipcatlas.mmap;
