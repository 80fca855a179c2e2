package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The project version (from the build) and the running JVM. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/ipc-atlas-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "ipc-atlas " + properties.getProperty("version", "unknown"),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch")
        };
    }
}
