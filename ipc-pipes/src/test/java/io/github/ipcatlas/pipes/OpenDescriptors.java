package io.github.ipcatlas.pipes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Finds the descriptors of this process that refer to one file a test owns, by device and inode through
 * {@code /proc/self/fd}. Leak checks assert that none is left; they never count the JVM's total, which the JIT,
 * class loading or surefire change at any moment (DESIGN.md section 5).
 */
final class OpenDescriptors {
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    private OpenDescriptors() {
    }

    /**
     * The identity (device and inode) of the file {@code path} names, following links: for
     * {@code /proc/self/fd/N} that is the object descriptor N refers to, an anonymous pipe's included. Take it
     * while the file is still reachable, then ask {@link #referringTo(Object)} after it is closed or unlinked.
     */
    static Object fileKey(Path path) throws IOException {
        return Objects.requireNonNull(Files.readAttributes(path, BasicFileAttributes.class).fileKey(),
                () -> "no file key for " + path);
    }

    /** The descriptors of this process open on the file {@code path} names now, as fd to link target. */
    static SortedMap<Integer, String> referringTo(Path path) throws IOException {
        return referringTo(fileKey(path));
    }

    /** The descriptors of this process open on the file with identity {@code key}, as fd to link target. */
    static SortedMap<Integer, String> referringTo(Object key) throws IOException {
        Objects.requireNonNull(key, "key");
        SortedMap<Integer, String> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC_SELF_FD)) {
            for (Path entry : entries) {
                Object entryKey;
                try {
                    entryKey = fileKey(entry);
                } catch (NoSuchFileException closedMeanwhile) {
                    continue; // someone else's descriptor (the directory stream's own one included) went away
                }
                if (key.equals(entryKey)) {
                    found.put(Integer.parseInt(entry.getFileName().toString()), target(entry));
                }
            }
        }
        return found;
    }

    private static String target(Path entry) {
        try {
            return Files.readSymbolicLink(entry).toString();
        } catch (IOException closedMeanwhile) {
            return "?";
        }
    }
}
