package io.github.ipcatlas.comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The newest JDK on this machine, for tests that must hold there too: {@code $IPC_ATLAS_NEWEST_JDK} (a Java home) if
 * set, otherwise the newest of the running JDK and those installed side by side in {@code /usr/lib/jvm} (where Debian,
 * Ubuntu and the Temurin packages put them). Never absent: at worst the running JDK.
 */
final class NewestJdk {
    private static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");

    private NewestJdk() {
    }

    /** The {@code java} launcher of the newest JDK. */
    static Path find() throws IOException {
        String chosen = System.getenv("IPC_ATLAS_NEWEST_JDK");
        if (chosen != null && !chosen.isBlank()) {
            Path java = Path.of(chosen, "bin", "java");
            if (!Files.isExecutable(java)) {
                throw new IOException("IPC_ATLAS_NEWEST_JDK=" + chosen + " has no executable bin/java");
            }
            return java;
        }
        Path running = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isDirectory(JVM_DIRECTORY)) {
            return running;
        }
        try (Stream<Path> homes = Files.list(JVM_DIRECTORY)) {
            return Stream.concat(Stream.of(running), homes.map(home -> home.resolve("bin").resolve("java")))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingInt(NewestJdk::feature))
                    .orElse(running);
        }
    }

    /** The feature release of the JDK whose launcher is {@code java} (its {@code release} file), or 0. */
    private static int feature(Path java) {
        Path release = java.getParent().getParent().resolve("release");
        try (Stream<String> lines = Files.lines(release)) {
            Optional<String> version = lines.filter(l -> l.startsWith("JAVA_VERSION=")).findFirst();
            return version.map(v -> Integer.parseInt(v.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1"))).orElse(0);
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }
}
