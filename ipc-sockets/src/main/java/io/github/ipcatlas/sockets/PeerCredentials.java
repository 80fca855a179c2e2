package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import io.github.ipcatlas.core.DescriptorLease;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.sockets.internal.MsgLayout;
import io.github.ipcatlas.sockets.internal.SocketLibC;
import io.github.ipcatlas.sockets.internal.SocketNative;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Who is at the other end of a Unix domain socket, as the kernel recorded it when the connection was made
 * ({@code SO_PEERCRED}, {@code unix(7)}): process id, user id and group id. It cannot be forged by the peer, which
 * makes it the way a local server authorises clients without passwords (as D-Bus and PostgreSQL's {@code peer}
 * authentication do).
 *
 * @param pid the peer's process id at connect time
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record PeerCredentials(int pid, int uid, int gid) {

    /** The credentials of the peer of a socket descriptor (e.g. a {@link UnixSocketPair} end). */
    public static PeerCredentials of(FdChannel socket) throws IOException {
        jnr.ffi.Runtime runtime = Native.runtime();
        Pointer value = Memory.allocateDirect(runtime, MsgLayout.UCRED_BYTES, true);
        Pointer length = Memory.allocateDirect(runtime, 4, true);
        length.putInt(0, MsgLayout.UCRED_BYTES);
        try (DescriptorLease lease = socket.lease()) {
            if (SocketNative.libc().getsockopt(lease.fd(), SocketLibC.SOL_SOCKET, SocketLibC.SO_PEERCRED, value,
                    length) != 0) {
                throw Errors.of("getsockopt(SO_PEERCRED)", socket.description(), Native.errno());
            }
        }
        return new PeerCredentials(value.getInt(MsgLayout.UCRED_PID), value.getInt(MsgLayout.UCRED_UID),
                value.getInt(MsgLayout.UCRED_GID));
    }

    /**
     * The user and group of the peer of a JDK Unix domain channel. The JDK exposes names, not the pid
     * ({@link ExtendedSocketOptions#SO_PEERCRED}).
     */
    public static UnixDomainPrincipal of(SocketChannel unixChannel) throws IOException {
        return unixChannel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    }
}
