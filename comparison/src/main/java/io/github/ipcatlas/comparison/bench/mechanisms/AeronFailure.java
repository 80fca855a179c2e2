package io.github.ipcatlas.comparison.bench.mechanisms;

import org.agrona.ErrorHandler;

/**
 * The error handler of a benchmark's Aeron client: keeps the first error instead of Aeron's default, which prints it
 * and, for a driver that stopped answering, exits the JVM. A link that sees one fails with it at its next check.
 */
final class AeronFailure implements ErrorHandler {
    private volatile Throwable first;

    @Override
    public void onError(Throwable error) {
        if (first == null) {
            first = error;
        }
    }

    /** The first error the client reported, or null. */
    Throwable first() {
        return first;
    }
}
