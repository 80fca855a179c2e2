package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The project version and the commit it was built from (both from the build), and the running JVM. */
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
            "ipc-atlas " + properties.getProperty("version", "unknown") + " (commit " + commit(properties) + ")",
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch")
        };
    }

    /** The abbreviated commit id, "+ changes" if the tree had uncommitted ones; "unknown" outside a git checkout. */
    private static String commit(Properties properties) {
        String commit = properties.getProperty("commit", "");
        if (commit.isEmpty() || commit.startsWith("${")) { // not filtered: the build ran outside a git checkout
            return "unknown";
        }
        return "true".equals(properties.getProperty("dirty")) ? commit + " + uncommitted changes" : commit;
    }
}
