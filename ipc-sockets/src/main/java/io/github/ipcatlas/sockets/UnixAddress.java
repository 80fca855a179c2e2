package io.github.ipcatlas.sockets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The address of a Unix domain socket: a path in the file system, or a name in the <i>abstract namespace</i>
 * ({@code unix(7)}), written {@code @name} — a Linux name that lives in no file system, needs no permission to
 * create, leaves no file behind and vanishes with its last socket. The JDK's {@code UnixDomainSocketAddress} has paths
 * only. A name is at most 107 bytes of UTF-8 ({@code sun_path} holds 108, with a NUL before an abstract name or after
 * a path).
 *
 * @param name the path, or the abstract name without its {@code @}
 * @param isAbstract whether {@code name} is in the abstract namespace
 */
public record UnixAddress(String name, boolean isAbstract) {
    /** The longest name in bytes, either kind. */
    public static final int MAX_NAME_BYTES = 107;

    /**
     * @throws IllegalArgumentException for an empty or overlong name, or a NUL in it
     */
    public UnixAddress {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Unix socket " + (isAbstract ? "name @" : "path ") + name + " is "
                    + bytes + " bytes; give 1 to " + MAX_NAME_BYTES + " bytes without NUL");
        }
    }

    /** {@code @name} for the abstract namespace, anything else a path. */
    public static UnixAddress parse(String text) {
        Objects.requireNonNull(text, "address");
        return text.startsWith("@") ? new UnixAddress(text.substring(1), true) : new UnixAddress(text, false);
    }

    /** The path of a path address. */
    public Path path() {
        if (isAbstract) {
            throw new IllegalStateException(this + " is an abstract name, not a path");
        }
        return Path.of(name);
    }

    /** A {@code struct sockaddr_un} holding this address; its length for the call is {@link #socketLength()}. */
    Pointer socketAddress() {
        Pointer address = Memory.allocateDirect(Native.runtime(), SocketLibC.SOCKADDR_UN_BYTES, true);
        address.putShort(0, (short) SocketLibC.AF_UNIX);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        address.put(isAbstract ? 3 : 2, bytes, 0, bytes.length); // abstract: sun_path[0] stays 0
        return address;
    }

    /** The family and the name's bytes (the abstract one after its NUL; a path with its NUL). */
    int socketLength() {
        return 2 + 1 + name.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return isAbstract ? "@" + name : name;
    }
}
