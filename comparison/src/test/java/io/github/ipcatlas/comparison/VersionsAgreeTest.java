package io.github.ipcatlas.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The two POMs that cannot inherit the project's version — the BOM (no parent, so that importing it brings nothing
 * else) and the consumer project that tests it — name the version this build has. {@code versions:set
 * -DprocessAllModules} changes the BOM with the rest; this catches a version changed any other way.
 */
class VersionsAgreeTest {
    @Test
    void shouldFindTheBomAndItsConsumerAtThisBuildsVersion() throws IOException {
        Properties built = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/ipc-atlas-version.properties")) {
            built.load(in);
        }
        String version = built.getProperty("version");
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+.*");
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        assertThat(first("<artifactId>ipc-atlas-bom</artifactId>\\s*<version>([^<]+)</version>",
                root.resolve("ipc-atlas-bom/pom.xml"))).isEqualTo(version);
        assertThat(first("<ipc-atlas.version>([^<]+)</ipc-atlas.version>",
                root.resolve("ipc-atlas-bom/src/test/consumer/pom.xml"))).isEqualTo(version);
    }

    private static String first(String regex, Path pom) throws IOException {
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(pom));
        assertThat(matcher.find()).as(regex + " in " + pom).isTrue();
        return matcher.group(1);
    }
}
