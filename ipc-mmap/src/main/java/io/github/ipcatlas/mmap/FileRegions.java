package io.github.ipcatlas.mmap;

import static io.github.ipcatlas.core.internal.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.internal.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.internal.Native;
import io.github.ipcatlas.mmap.internal.FallocateLibC;
import io.github.ipcatlas.mmap.internal.MappedRegion;

/** The file side of {@link MappedFile}: creating, growing and measuring files, and mapping a region of one. */
final class FileRegions {
    private FileRegions() {
    }

    /** Creates {@code file} with mode 0600 unless it exists, and grows it to at least {@code size} bytes. */
    static void createAndGrow(Path file, long size, Growth growth) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be at least 1 byte");
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        if (existingSize(file) < size) {
            grow(file, size, growth);
        }
    }

    /**
     * The size of an existing regular file. Anything else is refused before it is opened: opening a FIFO would block
     * until a writer came, a device or directory cannot be mapped as a file.
     */
    static long existingSize(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw Errors.of("open", file.toString(), Errors.ENOENT);
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, file + " is " + (attributes.isDirectory() ? "a directory"
                    : "not a regular file (a FIFO, socket or device)") + ", not a file to map");
        }
        return attributes.size();
    }

    /** Maps {@code length} bytes from {@code position}, which must lie within the file. */
    static MappedRegion map(Path file, MapMode mode, long position, long length) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position " + position + " is negative");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        long size = existingSize(file);
        if (position > size - length) {
            throw new IllegalArgumentException("region [" + position + ", " + (position + length) + ") extends past the end of "
                    + file + " (" + size + " bytes)" + (mode.writable() ? "; grow the file first with MappedFile.create" : ""));
        }
        Set<StandardOpenOption> options = mode == MapMode.READ_ONLY ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE); // the JDK needs write access for PRIVATE too
        // The mapping outlives the channel: close it at once, so no descriptor is held for the mapping's life.
        try (FileChannel channel = FileChannel.open(file, options)) {
            return MappedRegion.map(channel, mode.jdkMode, position, length);
        }
    }

    /** Throws {@link TruncatedMappingException} if {@code file} no longer covers {@code [position, position + length)}. */
    static void verifyCovers(Path file, long position, long length) throws IOException {
        long size = Files.size(file);
        if (size < position + length) {
            throw new TruncatedMappingException("the file " + file + " is now " + size + " bytes, shorter than the "
                    + "mapped region [" + position + ", " + (position + length) + "): another process truncated it; "
                    + "accessing the missing pages would raise SIGBUS", null);
        }
    }

    private static void grow(Path file, long size, Growth growth) throws IOException {
        if (growth == Growth.SPARSE) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (channel.size() < size) {
                    channel.write(ByteBuffer.allocate(1), size - 1); // sets the length; the rest stays a hole
                }
            }
            return;
        }
        int fd = Native.libc().open(file.toString(), O_RDWR | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.of("open", file.toString(), Native.errno());
        }
        try {
            int error = NativeLibrary.load(FallocateLibC.class, "c").posix_fallocate(fd, 0, size);
            if (error != 0) {
                throw Errors.of("posix_fallocate(" + size + " bytes)", file.toString(), error,
                        error == Errors.ENOSPC ? "the file system has " + Files.getFileStore(file).getUsableSpace()
                                + " bytes free" : null);
            }
        } finally {
            Native.libc().close(fd);
        }
    }
}
