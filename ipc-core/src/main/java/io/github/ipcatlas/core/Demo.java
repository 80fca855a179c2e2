package io.github.ipcatlas.core;

import java.io.PrintStream;

/**
 * A runnable example, usually the Java twin of one of the Python examples of the original write-up. Modules list
 * theirs in {@code META-INF/services/io.github.ipcatlas.core.Demo}; {@code ipc-atlas demo} lists and runs them.
 * Each demo class also has a {@code main} method, so it runs on its own too.
 */
public interface Demo {
    /** The short name {@code ipc-atlas demo NAME} takes, e.g. {@code pipe}. */
    String name();

    /** One line saying what the demo shows. */
    String summary();

    /** The Python snippet of the original write-up this demo mirrors, or an empty string if it has none. */
    default String seed() {
        return "";
    }

    /** Runs the demo, printing what the Python original prints to {@code out}. */
    void run(PrintStream out) throws Exception;
}
