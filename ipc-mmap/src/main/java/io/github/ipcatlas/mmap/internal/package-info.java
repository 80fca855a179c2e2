/**
 * Not API: native bindings ({@code posix_fallocate}, {@code fcntl} with a {@code struct flock}), the JDK-specific
 * mapping routes ({@code Mapper}), the lifetime of a mapping ({@code MappedRegion}: when the memory may be unmapped)
 * and {@code NativeAccess}, through which sibling modules reach raw addresses in a mapping, each under a lease that
 * keeps the memory mapped. Anything here may change in any release.
 */
package io.github.ipcatlas.mmap.internal;
