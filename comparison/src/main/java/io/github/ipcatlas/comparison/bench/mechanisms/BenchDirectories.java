package io.github.ipcatlas.comparison.bench.mechanisms;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Names of the benchmark's temporary directories: they carry the creating process's id, so each run knows its own. */
final class BenchDirectories {
    /** Mode 0700: a directory only its owner can enter. */
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private BenchDirectories() {
    }

    /** {@code ipc-atlas-bench-KIND-PID-}, the prefix of a temporary directory this process creates for {@code kind}. */
    static String prefix(String kind) {
        return "ipc-atlas-bench-" + kind + "-" + ProcessHandle.current().pid() + "-";
    }
}
