package io.github.ipcatlas.core;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads kernel settings from {@code /proc} (such as {@code /proc/sys/fs/pipe-max-size}).
 *
 * <p>Pitfall: these files report a size of 0, and {@code Files.readString}/{@code Files.readAllBytes} have been
 * seen to return only their first byte ({@code "1"} for {@code 1048576}). A plain stream read to end of file
 * returns the whole value, so every {@code /proc} read of the project goes through here.
 */
public final class ProcFs {
    private ProcFs() {
    }

    /** The whole content of {@code file}, without surrounding white space. */
    public static String read(Path file) throws IOException {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /** The number {@code file} holds. */
    public static long readLong(Path file) throws IOException {
        String text = read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds \"" + text + "\", not a number", e);
        }
    }
}
