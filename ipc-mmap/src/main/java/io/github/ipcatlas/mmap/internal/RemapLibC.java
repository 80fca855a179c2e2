package io.github.ipcatlas.mmap.internal;

/**
 * {@code mmap(2)}, through {@code syscall(2)}, and {@code getpagesize(2)}. C names, no logic.
 *
 * <p>Not {@code mmap} itself: jnr-ffi's x86-64 stubs pass a corrupt sixth argument to a function of six primitive
 * arguments (jnr/jnr-ffi#181, open since 2018), and {@code mmap}'s sixth is the offset, which glibc then refuses with
 * {@code EINVAL}. Seven arguments take another route, which passes them all.
 */
public interface RemapLibC {
    /** {@code syscall(SYS_mmap, …)}: returns the mapped address, or -1 with errno set. */
    long syscall(long number, long address, long length, long protection, long flags, long fd, long offset);

    /** The size of a page of memory, in bytes. */
    int getpagesize();
}
