package io.github.ipcatlas.sysv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.linux.Native;

/**
 * The key that names a System V object: a 32-bit number every process agrees on, the way a POSIX object is named by
 * a path. {@code msgget}, {@code shmget} and {@code semget} turn a key into an id; {@link #PRIVATE}
 * ({@code IPC_PRIVATE}, 0) always makes a new object that no other process can find by key (pass its id instead).
 *
 * <p>Keys are not checked for collisions by anyone: two unrelated programs that pick the same number share one
 * object. {@link #ftok} derives a key from a file, as C programs do, which only moves the problem (its result
 * repeats across files on other devices or with inode numbers that agree in their low 16 bits).
 *
 * <p>Immutable; thread-safe.
 */
public final class SysvKey {
    /** {@code IPC_PRIVATE}: every get with it creates a new object. */
    public static final SysvKey PRIVATE = new SysvKey(0);

    private final int value;

    private SysvKey(int value) {
        this.value = value;
    }

    /** The key {@code value}; 0 is {@link #PRIVATE}. */
    public static SysvKey of(int value) {
        return value == 0 ? PRIVATE : new SysvKey(value);
    }

    /**
     * Parses a key as {@code ipcs} prints it ({@code 0x0000162e}) or as a decimal number. Hexadecimal takes up to 8
     * digits; a decimal number may be any {@code int} or an unsigned 32-bit value up to 4294967295.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static SysvKey parse(String text) {
        Objects.requireNonNull(text, "key");
        String trimmed = text.strip();
        try {
            if (trimmed.matches("0[xX][0-9a-fA-F]{1,8}")) {
                return of(Integer.parseUnsignedInt(trimmed.substring(2), 16));
            }
            if (!trimmed.matches("-?[0-9]{1,10}")) { // ASCII digits only: Long.parseLong takes other scripts' too
                throw new NumberFormatException();
            }
            long number = Long.parseLong(trimmed);
            if (number < Integer.MIN_VALUE || number > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return of((int) number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key \"" + text + "\" is not a decimal or 0x-hexadecimal 32-bit number");
        }
    }

    /**
     * {@code ftok(3)}: the key glibc derives from {@code path}'s inode and device numbers and the low 8 bits of
     * {@code projectId}. The file must exist and stay where it is: a file removed and made again usually gets a new
     * inode, and so a new key.
     *
     * @param projectId 1 to 255 (the kernel and glibc use only the low 8 bits, and 0 is reserved)
     * @throws IllegalArgumentException if {@code projectId} is outside 1..255 or the path holds a NUL character
     * @throws java.nio.file.NoSuchFileException if {@code path} does not exist
     */
    public static SysvKey ftok(Path path, int projectId) throws IOException {
        Objects.requireNonNull(path, "path");
        if (projectId < 1 || projectId > 255) {
            throw new IllegalArgumentException("project id " + projectId + " is outside 1..255 (ftok uses its low 8 bits)");
        }
        String text = path.toString();
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path \"" + text.replace("\0", "\\0") + "\" contains a NUL character");
        }
        int key = SysvBinding.SYSV.ftok(text, projectId);
        if (key == -1) {
            throw Errors.of("ftok", text, Native.errno());
        }
        return of(key);
    }

    /** The number, as the kernel stores it in {@code key_t}. */
    public int value() {
        return value;
    }

    /** Whether this is {@code IPC_PRIVATE}. */
    public boolean isPrivate() {
        return value == 0;
    }

    /** As {@code ipcs} prints it: {@code 0x0000162e}, or {@code IPC_PRIVATE}. */
    @Override
    public String toString() {
        return value == 0 ? "IPC_PRIVATE" : String.format("0x%08x", value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SysvKey key && key.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }
}
