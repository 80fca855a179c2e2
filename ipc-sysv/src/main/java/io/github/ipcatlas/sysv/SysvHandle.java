package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_CREAT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_EXCL;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_RMID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_SET;
import static io.github.ipcatlas.sysv.internal.SysvLayout.IPC_STAT;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_CGID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_CUID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_GID;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_KEY;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_MODE;
import static io.github.ipcatlas.sysv.internal.SysvLayout.PERM_UID;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;

/**
 * What the three System V handles share: a key and the id the kernel gave, {@code IPC_STAT}, {@code IPC_SET} of
 * the mode, {@code IPC_RMID}, and errors that name the object.
 *
 * <p>A handle holds no kernel resource of its own (an id is a number, not a descriptor), so {@code close()} only
 * makes further use fail with {@link ClosedChannelException}; the object stays until {@link #remove()}.
 *
 * <p>Thread-safe: every method may be called from any thread; the kernel serialises operations on one object.
 */
public abstract sealed class SysvHandle implements AutoCloseable
        permits SysvMessageQueue, SysvSharedMemory, SysvSemaphoreSet {
    /** The mode objects are created with unless told otherwise: read and write for the owner only. */
    public static final int DEFAULT_MODE = 0600;

    private final String kind;
    private final SysvKey key;
    private final int id;
    private volatile boolean closed;

    SysvHandle(String kind, SysvKey key, int id) {
        this.kind = kind;
        this.key = key;
        this.id = id;
    }

    /** The key the object was created or found with ({@link SysvKey#PRIVATE} for a private one). */
    public SysvKey key() {
        return key;
    }

    /** The id the kernel gave the object, as {@code ipcs} prints it. */
    public int id() {
        return id;
    }

    /** Whether this handle is open. */
    public boolean isOpen() {
        return !closed;
    }

    /** The object's owner, creator and mode ({@code IPC_STAT}). */
    public IpcPermissions permissions() throws IOException {
        return permissionsOf(stat());
    }

    /**
     * Changes the object's permission bits ({@code IPC_SET}); only its owner or creator may.
     *
     * @param mode 0 to 0777
     * @throws IllegalArgumentException if {@code mode} is outside 0..0777
     */
    public void setMode(int mode) throws IOException {
        checkMode(mode);
        ByteBuffer ds = stat();
        ds.putShort(PERM_MODE, (short) ((ds.getShort(PERM_MODE) & ~0777) | mode));
        control("IPC_SET", IPC_SET);
    }

    /**
     * Removes the object ({@code IPC_RMID}). A message queue or semaphore set goes at once, and every process
     * waiting on it wakes with {@code EIDRM}; a shared-memory segment loses its key now and goes when the last
     * process detaches. Objects are never removed by {@link #close()}, nor when every process has exited: what is
     * not removed stays until reboot ({@code ipcs} lists it, {@code ipcrm} removes it).
     */
    public void remove() throws IOException {
        ensureOpen();
        control("IPC_RMID", IPC_RMID);
    }

    /** Makes further use of this handle fail; the object stays. Idempotent and thread-safe. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return label();
    }

    /** {@code message queue 0x0000162e (id 3)}. */
    final String label() {
        return kind + " " + key + " (id " + id + ")";
    }

    final void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** The {@code *ctl} call of this kind: {@code msgctl}, {@code shmctl} or {@code semctl}. */
    abstract int control(int command, long address);

    /** The name of that call, for messages. */
    abstract String controlName();

    /** {@code IPC_STAT} into the thread's scratch structure, which it returns. */
    final ByteBuffer stat() throws IOException {
        ensureOpen();
        SysvScratch scratch = SysvScratch.forThisThread();
        if (control(IPC_STAT, scratch.dsAddress) == -1) {
            throw failure(controlName() + "(IPC_STAT)", Native.errno());
        }
        return scratch.ds;
    }

    private void control(String commandName, int command) throws IOException {
        ensureOpen();
        if (control(command, command == IPC_RMID ? 0 : SysvScratch.forThisThread().dsAddress) == -1) {
            throw failure(controlName() + "(" + commandName + ")", Native.errno());
        }
    }

    /** The exception for a failed {@code call} on this object, with what the errno means for System V. */
    final IOException failure(String call, int errno) {
        String hint = switch (errno) {
            case Errors.EIDRM -> "the " + kind + " was removed";
            case Errors.EINVAL -> "no " + kind + " has this id any more (removed?), or an argument is out of range";
            case Errors.EACCES -> "its mode does not give this user the access the call needs";
            case Errors.EPERM -> "only the owner or creator (or a privileged process) may change or remove it"
                    + (kind.equals("message queue") ? "; IPC_SET also writes msg_qbytes back, which above "
                    + "kernel.msgmnb needs CAP_SYS_RESOURCE even when unchanged" : "");
            default -> null;
        };
        return Errors.of(call, label(), errno, hint);
    }

    static IpcPermissions permissionsOf(ByteBuffer ds) {
        return new IpcPermissions(ds.getInt(PERM_UID), ds.getInt(PERM_GID), ds.getInt(PERM_CUID),
                ds.getInt(PERM_CGID), ds.getShort(PERM_MODE) & 0777);
    }

    static SysvKey keyOf(ByteBuffer ds) {
        return SysvKey.of(ds.getInt(PERM_KEY));
    }

    /** A {@code time_t} field as an instant, or null when it is 0 (never). */
    static Instant timeOf(ByteBuffer ds, int offset) {
        long seconds = ds.getLong(offset);
        return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }

    static int checkMode(int mode) {
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode 0" + Integer.toOctalString(mode) + " is outside 0..0777");
        }
        return mode;
    }

    /** One of {@code msgctl}, {@code shmctl}, {@code semctl} (semaphore 0), on an id. */
    @FunctionalInterface
    interface Control {
        int control(int id, int command, long address);
    }

    /**
     * {@code IPC_STAT} of the object with {@code id} into the thread's scratch structure, which it returns: for
     * opening by id and for sizes read afresh, before any handle exists.
     *
     * @param call  {@code msgctl}, {@code shmctl} or {@code semctl}, for the message
     * @param kind  what the object is, for the message
     * @param label the object as the message names it
     */
    static ByteBuffer statById(String call, Control control, int id, String kind, String label) throws IOException {
        SysvScratch scratch = SysvScratch.forThisThread();
        if (control.control(id, IPC_STAT, scratch.dsAddress) == -1) {
            int errno = Native.errno();
            throw Errors.of(call + "(IPC_STAT)", label, errno,
                    errno == Errors.EINVAL || errno == Errors.EIDRM ? "no " + kind + " has this id" : null);
        }
        return scratch.ds;
    }

    /** How a get call is told to find or make the object. */
    enum Disposition {
        CREATE(IPC_CREAT | IPC_EXCL), OPEN(0), OPEN_OR_CREATE(IPC_CREAT);

        final int flags;

        Disposition(int flags) {
            this.flags = flags;
        }
    }

    /** One of {@code msgget}, {@code shmget}, {@code semget}, with its other arguments bound. */
    @FunctionalInterface
    interface Getter {
        int get(int key, int flags);
    }

    /**
     * Makes or finds an object: checks the arguments, calls {@code getter}, and turns a failure into an exception
     * that says what it means for a {@code kind}; {@code limitHint} names the limit behind {@code ENOSPC}.
     *
     * @return the id
     */
    static int get(String call, String kind, SysvKey key, Disposition disposition, int mode, Getter getter,
                   String limitHint, String invalidHint) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(disposition, "disposition");
        checkMode(mode);
        if (key.isPrivate() && disposition == Disposition.OPEN) {
            throw new IllegalArgumentException("IPC_PRIVATE names no existing " + kind
                    + ": create one, or open it by the id its creator passes you");
        }
        int id = getter.get(key.value(), disposition.flags | mode);
        if (id >= 0) {
            return id;
        }
        int errno = Native.errno();
        String hint = switch (errno) {
            case Errors.ENOENT -> "no " + kind + " has this key";
            case Errors.EEXIST -> "a " + kind + " with this key exists already";
            case Errors.EACCES -> "its mode does not give this user access";
            case Errors.ENOSPC -> limitHint;
            case Errors.EINVAL -> invalidHint;
            default -> null;
        };
        throw Errors.of(call, kind + " " + key, errno, hint);
    }
}
