package io.github.ipcatlas.sockets.internal;

/**
 * The structures {@code recvmsg(2)} fills, on 64-bit Linux (x86-64 and aarch64 agree); {@code MsgLayoutTest} checks
 * each value against this machine's C headers. {@code struct iovec} is shared with other modules and lives in
 * {@link io.github.ipcatlas.core.linux.KernelStructs}.
 *
 * <pre>
 * struct msghdr (56)         struct cmsghdr, then its data     struct ucred (12)
 *   0 void *msg_name           0 size_t cmsg_len                 0 pid_t pid
 *   8 socklen_t msg_namelen    8 int cmsg_level                  4 uid_t uid
 *  16 struct iovec *msg_iov   12 int cmsg_type                   8 gid_t gid
 *  24 size_t msg_iovlen       16 data (CMSG_DATA)
 *  32 void *msg_control
 *  40 size_t msg_controllen
 *  48 int msg_flags
 * </pre>
 */
public final class MsgLayout {
    private MsgLayout() {
    }

    public static final int MSGHDR_BYTES = 56;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 48;

    public static final int CMSG_LEN = 0;
    public static final int CMSG_LEVEL = 8;
    public static final int CMSG_TYPE = 12;
    public static final int CMSG_DATA = 16;
    /** {@code CMSG_SPACE(sizeof(struct ucred))}: room for one credentials message. */
    public static final int CREDENTIALS_SPACE = 32;

    public static final int UCRED_BYTES = 12;
    public static final int UCRED_PID = 0;
    public static final int UCRED_UID = 4;
    public static final int UCRED_GID = 8;
}
