package io.github.ipcatlas.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: the first executable of that name in a {@code PATH} directory. */
public final class ProgramPath {
    private ProgramPath() {
    }

    /** The program {@code name} on {@code PATH}, if there is one. */
    public static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }
}
