package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * Modules use each other only through documented API: no module's classes refer to a package named
 * {@code internal} that another module's classes make up. Read from the compiled classes with {@code jdeps}, for
 * every module of the project on this module's class path (all of them) and for this module's own tests — what the
 * code does, not how its sources spell it.
 */
class ModuleBoundariesTest {
    private static final Pattern DEPENDENCE = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    void shouldFindNoModuleReferringToAnotherModulesInternalPackage() throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!packagesIn(path).isEmpty()) {
                entries.add(path);
            }
        }
        assertThat(entries).as("the project's modules on the class path").hasSizeGreaterThanOrEqualTo(9);
        List<String> crossings = new ArrayList<>();
        for (Path entry : entries) {
            Set<String> own = packagesIn(entry);
            for (String[] dependence : dependences(entry)) {
                if (dependence[1].contains(".internal") && !own.contains(dependence[1])) {
                    crossings.add(entry.getFileName() + ": " + dependence[0] + " -> " + dependence[1]);
                }
            }
        }
        assertThat(crossings).isEmpty();
    }

    /** The project's packages whose classes {@code entry} (a directory or a jar) holds. */
    private static Set<String> packagesIn(Path entry) throws IOException {
        Set<String> packages = new TreeSet<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> entry.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.'))
                        .filter(p -> p.startsWith("io.github.ipcatlas.")).forEach(packages::add);
            }
        } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && n.startsWith("io/github/ipcatlas/"))
                        .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.')).forEach(packages::add);
            }
        }
        return packages;
    }

    /** Each package-to-package dependence of {@code entry} on a project package, as jdeps reports it. */
    private static List<String[]> dependences(Path entry) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                "-e", "io\\.github\\.ipcatlas\\..*", entry.toString());
        assertThat(status).as("jdeps on %s: %s", entry, err).isZero();
        List<String[]> found = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            Matcher matcher = DEPENDENCE.matcher(line);
            if (matcher.find() && matcher.group(1).startsWith("io.github.ipcatlas.")) {
                found.add(new String[] {matcher.group(1), matcher.group(2)});
            }
        }
        return found;
    }
}
