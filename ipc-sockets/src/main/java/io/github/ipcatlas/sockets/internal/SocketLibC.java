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

    int SOCK_NONBLOCK = 0x800;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family, then 108 bytes of {@code sun_path}. */
    int SOCKADDR_UN_BYTES = 110;
    int ECONNREFUSED = 111;
    int EADDRINUSE = 98;

    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer address, int length);

    int listen(int fd, int backlog);

    /** {@code accept4(fd, NULL, NULL, flags)}: the peer's address is not wanted (a Unix client rarely has one). */
    int accept4(int fd, Pointer address, Pointer length, int flags);

    int connect(int fd, Pointer address, int length);

    int SHUT_WR = 1;
    int SHUT_RDWR = 2;

    /**
     * {@code fchmod(2)} on a socket before {@code bind}: Linux creates the socket file with the socket's mode, so the
     * file is 0600 from its first instant, whatever the umask (and without {@code /proc}, which glibc's
     * {@code fchmodat(AT_SYMLINK_NOFOLLOW)} needs).
     */
    int fchmod(int fd, int mode);

    int shutdown(int fd, int how);

    int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    int setsockopt(int fd, int level, int name, Pointer value, int length);

    int SO_PASSCRED = 16;
    int SCM_CREDENTIALS = 2;
    int MSG_CTRUNC = 0x8;
    int MSG_TRUNC = 0x20;
    int MSG_DONTWAIT = 0x40;
    int EMSGSIZE = 90;

    /**
     * {@code sendmsg(2)} with a {@code struct msghdr} at {@code message} ({@link MsgLayout}). Used rather than
     * {@code sendto}, whose sixth argument jnr-ffi passed as garbage here.
     */
    long sendmsg(int fd, long message, int flags);

    /** {@code recvmsg(2)} with a {@code struct msghdr} at {@code message}, laid out as {@link MsgLayout} says. */
    long recvmsg(int fd, long message, int flags);
}
