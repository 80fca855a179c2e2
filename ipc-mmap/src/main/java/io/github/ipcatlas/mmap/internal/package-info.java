/**
 * Not API: native bindings ({@code posix_fallocate}, {@code fcntl} with a {@code struct flock}), the JDK-specific
 * mapping routes ({@code Mapper}), the lifetime of a mapping ({@code MappedRegion}: when the memory may be unmapped)
 * and the page probe. No other module uses it; anything here may change in any release.
 */
package io.github.ipcatlas.mmap.internal;
