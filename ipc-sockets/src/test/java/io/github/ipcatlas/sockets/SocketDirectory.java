package io.github.ipcatlas.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A private (0700) directory for a test's socket files, removed afterwards with whatever was left in it. */
final class SocketDirectory {
    private SocketDirectory() {
    }

    static Path create() throws IOException {
        return ServerEndpoint.privateDirectory("t-uds-");
    }

    /** Removes {@code directory} and returns the files that were still in it (none, if servers cleaned up). */
    static List<Path> remove(Path directory) throws IOException {
        List<Path> left;
        try (Stream<Path> files = Files.list(directory)) {
            left = files.toList();
        }
        for (Path file : left) {
            Files.delete(file);
        }
        Files.delete(directory);
        return left;
    }
}
