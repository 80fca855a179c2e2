package io.github.ipcatlas.mmap;

import static io.github.ipcatlas.core.linux.LinuxConstants.F_GETFL;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_ACCMODE;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NOFOLLOW;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_NONBLOCK;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDONLY;
import static io.github.ipcatlas.core.linux.LinuxConstants.O_RDWR;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.NativeLibrary;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.internal.FallocateLibC;
import io.github.ipcatlas.mmap.internal.MappedRegion;

/**
 * The file side of {@link MappedFile}: creating, growing and mapping files — always through one descriptor, so that
 * what is checked is what is mapped.
 *
 * <p>A path is opened once, without blocking ({@code O_NONBLOCK}: a FIFO planted at the path would otherwise block
 * {@code open(2)} until a writer came), and everything after goes through that descriptor: its type and size
 * ({@code fstat}), growing it ({@code posix_fallocate}, {@code ftruncate}), and the mapping, made from
 * {@code /proc/self/fd/N} — which reopens the very file the descriptor refers to, whatever the path names by then.
 * Where a file is created ({@link MappedFile#create}) a symbolic link at the path is refused: the entry the path names
 * must be the file that was opened (same device and inode), so a link planted before or swapped in during the open
 * is caught.
 */
final class FileRegions {
    private static final String PROC_SELF_FD = "/proc/self/fd/";
    private static final int ELOOP = 40;

    private FileRegions() {
    }

    /**
     * Creates {@code file} with mode 0600 unless it exists, grows it to at least {@code size} bytes and maps its first
     * {@code size} bytes read-write. Refuses a symbolic link, a FIFO, a device or a directory at the path.
     */
    static MappedRegion createAndMap(Path file, long size, Growth growth) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be at least 1 byte");
        }
        boolean created = false;
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            created = true;
        } catch (FileAlreadyExistsException exists) {
            // ours from before, or another process created it first: checked below (O_EXCL never follows a link)
        }
        try {
            int fd = open(file, MapMode.READ_WRITE, true);
            try {
                BasicFileAttributes attributes = regularFile(fd, file);
                requireSameEntry(file, attributes);
                requireOurs(fd, file);
                if (attributes.size() < size) {
                    grow(fd, file, size, growth);
                }
                return mapDescriptor(fd, file, MapMode.READ_WRITE, 0, size);
            } finally {
                Native.libc().close(fd);
            }
        } catch (IOException | RuntimeException e) {
            if (created) {
                Files.deleteIfExists(file); // no empty file left behind by a create that failed
            }
            throw e;
        }
    }

    /**
     * Maps {@code length} bytes of {@code file} from {@code position} (a negative length: to the end of the file),
     * following symbolic links as {@code open(2)} does.
     */
    static MappedRegion map(Path file, MapMode mode, long position, long length) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position " + position + " is negative");
        }
        int fd = open(file, mode, false);
        try {
            return mapDescriptor(fd, file, mode, position, length);
        } finally {
            Native.libc().close(fd);
        }
    }

    /**
     * Maps {@code length} bytes (negative: to the end) from {@code position} of the regular file open on {@code fd},
     * which stays the caller's to close. {@code file} names it in messages.
     */
    static MappedRegion mapDescriptor(int fd, Path file, MapMode mode, long position, long length) throws IOException {
        int flags = Native.libc().fcntl(fd, F_GETFL, 0);
        if (flags < 0) {
            throw Errors.of("fcntl(F_GETFL)", "descriptor " + fd + " for " + file, Native.errno());
        }
        if (mode != MapMode.READ_ONLY && (flags & O_ACCMODE) != O_RDWR) {
            // the mapping reopens /proc/self/fd/N, which would not keep a read-only descriptor's limit
            throw new IllegalArgumentException("descriptor " + fd + " for " + file + " is not open read-write; it cannot "
                    + "be mapped " + mode);
        }
        long size = regularFile(fd, file).size();
        long mapped = length < 0 ? size - position : length;
        if (position > size - mapped || mapped < 0) {
            throw new IllegalArgumentException("region [" + position + ", " + (position + mapped) + ") extends past the "
                    + "end of " + file + " (" + size + " bytes)"
                    + (mode.writable() ? "; grow the file first with MappedFile.create" : ""));
        }
        Set<StandardOpenOption> options = mode == MapMode.READ_ONLY ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE); // the JDK needs write access for PRIVATE too
        // The mapping outlives the channel: close it at once, so no descriptor is held for the mapping's life.
        try (FileChannel channel = FileChannel.open(Path.of(PROC_SELF_FD + fd), options)) {
            return MappedRegion.map(channel, mode.jdkMode, position, mapped);
        }
    }

    /** The size of {@code file}, which must be a regular file (opened without blocking and checked, then closed). */
    static long existingSize(Path file) throws IOException {
        int fd = open(file, MapMode.READ_ONLY, false);
        try {
            return regularFile(fd, file).size();
        } finally {
            Native.libc().close(fd);
        }
    }

    /** Opens {@code file} for mapping in {@code mode}, never blocking; with {@code noFollow}, never through a link. */
    private static int open(Path file, MapMode mode, boolean noFollow) throws IOException {
        int access = mode == MapMode.READ_ONLY ? O_RDONLY : O_RDWR;
        int fd = Native.libc().open(file.toString(), access | O_NONBLOCK | O_CLOEXEC | (noFollow ? O_NOFOLLOW : 0), 0);
        if (fd < 0) {
            int errno = Native.errno();
            if (errno == ELOOP && noFollow) {
                throw new FileSystemException(file.toString(), null, file + " is a symbolic link; a file this call "
                        + "creates is never reached through one (map the target by its own path)");
            }
            if (errno == Errors.EISDIR) {
                throw new FileSystemException(file.toString(), null, file + " is a directory, not a file to map");
            }
            throw Errors.of("open", file.toString(), errno);
        }
        return fd;
    }

    /** The attributes of the file open on {@code fd} ({@code fstat}); refuses anything but a regular file. */
    private static BasicFileAttributes regularFile(int fd, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(Path.of(PROC_SELF_FD + fd), BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, file + " is " + (attributes.isDirectory()
                    ? "a directory" : "not a regular file (a FIFO, socket or device)") + ", not a file to map");
        }
        return attributes;
    }

    /**
     * Refuses a file another user owns: creating "our" file where someone else planted one would hand them what we
     * write (and let them truncate it under us).
     */
    private static void requireOurs(int fd, Path file) throws IOException {
        int owner = (Integer) Files.getAttribute(Path.of(PROC_SELF_FD + fd), "unix:uid");
        long us = new com.sun.security.auth.module.UnixSystem().getUid();
        if (owner != us) {
            throw new FileSystemException(file.toString(), null, file + " exists and belongs to uid " + owner
                    + ", not to us (uid " + us + "); refusing to write into someone else's file");
        }
    }

    /** Refuses if the entry {@code file} names (not following a link) is not the file that was opened. */
    private static void requireSameEntry(Path file, BasicFileAttributes opened) throws IOException {
        BasicFileAttributes entry = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (entry.isSymbolicLink() || !opened.fileKey().equals(entry.fileKey())) {
            throw new FileSystemException(file.toString(), null, file + (entry.isSymbolicLink()
                    ? " is a symbolic link; a file this call creates is never reached through one (map the target by "
                    + "its own path)" : " was replaced while it was being opened"));
        }
    }

    private static void grow(int fd, Path file, long size, Growth growth) throws IOException {
        FallocateLibC libc = NativeLibrary.load(FallocateLibC.class, "c");
        if (growth == Growth.SPARSE) {
            if (libc.ftruncate(fd, size) != 0) {
                throw Errors.of("ftruncate(" + size + " bytes)", file.toString(), Native.errno());
            }
            return;
        }
        int error = libc.posix_fallocate(fd, 0, size);
        if (error != 0) {
            throw Errors.of("posix_fallocate(" + size + " bytes)", file.toString(), error,
                    error == Errors.ENOSPC ? "the file system has " + Files.getFileStore(file).getUsableSpace()
                            + " bytes free" : null);
        }
    }
}
