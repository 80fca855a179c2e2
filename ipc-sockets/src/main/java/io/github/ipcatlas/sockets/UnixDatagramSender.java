package io.github.ipcatlas.sockets;

/**
 * Who sent the datagram a {@link UnixDatagramSocket#receive(java.nio.ByteBuffer, java.time.Duration, UnixDatagramSender)}
 * returned: the sender's address (null if its socket has no name), and — when the receiving socket asked for them
 * with {@link UnixDatagramSocket#passCredentials} — its process id, user id and group id as the kernel vouches for
 * them ({@code SCM_CREDENTIALS}, {@code unix(7)}): a sender cannot claim another process's pid or another user's id
 * without the privilege to.
 *
 * <p>Mutable and reused, so that receiving allocates nothing; not thread-safe: one per receiving thread.
 */
public final class UnixDatagramSender {
    private UnixAddress address;
    private boolean hasCredentials;
    private int pid;
    private int uid;
    private int gid;

    /** The sender's address, or null when its socket is unnamed. */
    public UnixAddress address() {
        return address;
    }

    /** Whether the credentials below came with the datagram. */
    public boolean hasCredentials() {
        return hasCredentials;
    }

    /** The sending process's id, as the kernel recorded it; -1 without credentials. */
    public int pid() {
        return hasCredentials ? pid : -1;
    }

    /** The sender's user id; -1 without credentials. */
    public int uid() {
        return hasCredentials ? uid : -1;
    }

    /** The sender's group id; -1 without credentials. */
    public int gid() {
        return hasCredentials ? gid : -1;
    }

    void set(UnixAddress address, boolean hasCredentials, int pid, int uid, int gid) {
        this.address = address;
        this.hasCredentials = hasCredentials;
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public String toString() {
        return (address == null ? "unnamed" : address.toString())
                + (hasCredentials ? " (pid " + pid + ", uid " + uid + ", gid " + gid + ")" : "");
    }
}
