package io.github.ipcatlas.comparison.bench.mechanisms;

import org.newsclub.net.unix.AFSocket;

/**
 * Whether junixsocket's JNI library loads in this JVM, asked once. junixsocket copies the library for this platform
 * from its jar to a temporary file, loads it and deletes the file at once; a platform it has no library for, or a
 * temporary directory mounted {@code noexec} (it then tries the home and working directories), leaves it unloaded.
 */
final class JunixSocketAccess {
    private static final String PROBLEM = probe();

    private JunixSocketAccess() {
    }

    /** Why junixsocket cannot run in this JVM, or null if it can. */
    static String problem() {
        return PROBLEM;
    }

    private static String probe() {
        try {
            AFSocket.ensureSupported();
            return null;
        } catch (LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "junixsocket's native library did not load in this JVM (" + cause + ")";
        }
    }
}
