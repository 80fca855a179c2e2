package io.github.ipcatlas.sockets.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;

/** The socket calls the JDK does not offer (see {@code socket(7)}, {@code unix(7)}). C names, no logic. */
public interface SocketLibC {
    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_PEERCRED = 17;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code struct ucred { pid_t pid; uid_t uid; gid_t gid; }}. */
    int UCRED_BYTES = 12;

    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    int getsockopt(int fd, int level, int name, Pointer value, Pointer length);
}
