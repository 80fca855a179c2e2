package io.github.ipcatlas.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names of POSIX IPC objects (message queues, shared-memory segments, named semaphores).
 *
 * <p>A portable name, as {@code mq_overview(7)}, {@code shm_overview(7)} and {@code sem_overview(7)} describe it,
 * is a leading {@code /} followed by one or more characters, none of them {@code /} or NUL, at most
 * {@value #NAME_MAX} bytes after the slash (Linux's {@code NAME_MAX}). Checking here, before any native call,
 * turns the kernel's bare {@code EINVAL}/{@code ENAMETOOLONG} into a message that names the bad value.
 *
 * <p>Thread-safe.
 */
public final class IpcNames {
    /** Longest name, in UTF-8 bytes, after the leading slash. */
    public static final int NAME_MAX = 255;

    private static final AtomicLong COUNTER = new AtomicLong();

    private IpcNames() {
    }

    /**
     * Returns {@code name} if it is a valid POSIX IPC name.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public static String validate(String name) {
        if (name == null) {
            throw new IllegalArgumentException("IPC name is null");
        }
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("IPC name \"" + name + "\" must start with '/'");
        }
        if (name.length() == 1) {
            throw new IllegalArgumentException("IPC name \"/\" needs at least one character after the '/'");
        }
        if (name.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("IPC name \"" + name + "\" may contain '/' only at the start");
        }
        if (name.equals("/.") || name.equals("/..")) { // /dev/shm/. is the directory itself, /dev/shm/.. its parent
            throw new IllegalArgumentException("IPC name \"" + name + "\" names a directory entry, not an object");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("IPC name \"" + name.replace("\0", "\\0") + "\" contains a NUL character");
        }
        int bytes = name.substring(1).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) {
            throw new IllegalArgumentException("IPC name \"" + name.substring(0, 20) + "…\" is " + bytes
                    + " bytes after the '/'; the limit is " + NAME_MAX);
        }
        return name;
    }

    /**
     * A name no other live object is likely to have: {@code /prefix-PID-COUNTER-RANDOM}. Tests and demos use it so
     * that parallel runs never meet, and a leftover object can be traced to the process that made it.
     *
     * @param prefix letters, digits, {@code -} or {@code _}, at most 200 characters
     */
    public static String unique(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > 200 || !prefix.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("name prefix \"" + prefix
                    + "\" must be 1 to 200 characters of letters, digits, '-' or '_'");
        }
        return "/" + prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
    }
}
