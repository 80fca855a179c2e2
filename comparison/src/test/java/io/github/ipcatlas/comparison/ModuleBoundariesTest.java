package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Modules use each other only through documented API: no module's sources name another module's {@code internal}
 * package. Reads the sources of every module of this build (this module's siblings).
 */
class ModuleBoundariesTest {
    private static final Pattern INTERNAL = Pattern.compile("io\\.github\\.ipcatlas\\.([a-z]+)\\.internal\\b");

    @Test
    void shouldFindNoModuleNamingAnotherModulesInternalPackage() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        List<Path> modules;
        try (Stream<Path> children = Files.list(root)) {
            modules = children.filter(dir -> Files.isDirectory(dir.resolve("src/main/java/io/github/ipcatlas"))).toList();
        }
        assertThat(modules).as("the modules under " + root).hasSizeGreaterThanOrEqualTo(8);
        List<String> crossings = new ArrayList<>();
        for (Path module : modules) {
            Path packages = module.resolve("src/main/java/io/github/ipcatlas");
            List<String> own;
            try (Stream<Path> roots = Files.list(packages)) {
                own = roots.map(dir -> dir.getFileName().toString()).toList();
            }
            try (Stream<Path> sources = Files.walk(module.resolve("src"))) {
                for (Path source : sources.filter(file -> file.toString().endsWith(".java")).toList()) {
                    Matcher matcher = INTERNAL.matcher(Files.readString(source));
                    while (matcher.find()) {
                        if (!own.contains(matcher.group(1))) {
                            crossings.add(root.relativize(source) + " names " + matcher.group());
                        }
                    }
                }
            }
        }
        assertThat(crossings).isEmpty();
    }
}
