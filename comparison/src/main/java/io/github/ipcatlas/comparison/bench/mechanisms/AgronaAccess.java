package io.github.ipcatlas.comparison.bench.mechanisms;

/**
 * Whether this JVM lets Agrona 2 reach {@code jdk.internal.misc.Unsafe}, asked once: without
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} its buffers fail to load.
 */
final class AgronaAccess {
    private static final String PROBLEM = probe();

    private AgronaAccess() {
    }

    /** Why Agrona cannot run in this JVM, or null if it can. */
    static String problem() {
        return PROBLEM;
    }

    private static String probe() {
        try {
            new org.agrona.concurrent.UnsafeBuffer(new byte[8]).putLong(0, 1);
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "Agrona 2 needs this JVM started with " + PeerAgronaRingMechanism.ADD_OPENS + " (" + e + ")";
        }
    }
}
