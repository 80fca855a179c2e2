package io.github.ipcatlas.comparison.bench.mechanisms;

/** Names of the benchmark's temporary directories: they carry the creating process's id, so each run knows its own. */
final class BenchDirectories {
    private BenchDirectories() {
    }

    /** {@code ipc-atlas-bench-KIND-PID-}, the prefix of a temporary directory this process creates for {@code kind}. */
    static String prefix(String kind) {
        return "ipc-atlas-bench-" + kind + "-" + ProcessHandle.current().pid() + "-";
    }
}
