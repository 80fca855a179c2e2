package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;

/**
 * Binding a jnr-made Unix socket to a {@link UnixAddress} with the module's hygiene, for {@link UnixListener} and
 * {@link UnixDatagramSocket}: a path socket's file is created mode 0600 (the socket's own mode, set before
 * {@code bind}, so there is no moment in which another user could connect or send), and removed later only if it is
 * still the file this bind made.
 */
final class UnixBinding {
    private UnixBinding() {
    }

    /**
     * Binds {@code fd} to {@code address}.
     *
     * @return the socket file's identity (path addresses), for {@link #removeIfOurs}; null for an abstract name
     */
    static Object bind(int fd, UnixAddress address) throws IOException {
        SocketLibC libc = SocketNative.libc();
        if (!address.isAbstract() && libc.fchmod(fd, 0600) != 0) {
            throw Errors.of("fchmod(0600)", address.toString(), Native.errno());
        }
        if (libc.bind(fd, address.socketAddress(), address.socketLength()) != 0) {
            int errno = Native.errno();
            throw Errors.of("bind", address.toString(), errno, errno == SocketLibC.EADDRINUSE ? (address.isAbstract()
                    ? "another socket has this abstract name" : "a file exists at this path: remove it if stale")
                    : null);
        }
        if (address.isAbstract()) {
            return null;
        }
        // no link followed: the identity of the file this bind made, so that close removes nothing else
        PosixFileAttributes made = Files.readAttributes(address.path(), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!made.isOther()) {
            throw new IOException(address + " is no longer the socket just bound (replaced meanwhile)");
        }
        return made.fileKey();
    }

    /** Removes the socket file at {@code address} if it is still the one with {@code key} (null: nothing to do). */
    static void removeIfOurs(UnixAddress address, Object key) throws IOException {
        if (key == null) {
            return;
        }
        try {
            Object now = Files.readAttributes(address.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (key.equals(now)) {
                Files.deleteIfExists(address.path());
            }
        } catch (java.nio.file.NoSuchFileException alreadyGone) {
            // removed by someone else: nothing of ours is left
        }
    }
}
