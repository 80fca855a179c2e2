package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.github.ipcatlas.comparison.bench.Environment;
import io.github.ipcatlas.core.NativeUnavailableException;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.core.ProgramPath;
import io.github.ipcatlas.core.internal.Native;
import picocli.CommandLine.Command;

/** {@code ipc-atlas doctor}: the limits and environment that decide what works here. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the limits and environment that decide what works on this machine.")
public final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        boolean healthy = true;
        try {
            Native.libc().getpid();
            System.out.println("native access: ok (libc bound through jnr-ffi)");
        } catch (NativeUnavailableException e) {
            System.out.println("native access: FAILED: " + e.getMessage());
            healthy = false;
        }
        Environment.capture(false).facts().forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.println("open_files_limit: " + limit("Max open files"));
        System.out.println("msgqueue_bytes_limit: " + limit("Max msgqueue size"));
        System.out.println("dev_mqueue_mounted: " + Files.isDirectory(Path.of("/dev/mqueue"))
                + (Files.isDirectory(Path.of("/dev/mqueue")) ? "" : " (queues work; only `ls /dev/mqueue` does not)"));
        System.out.println("python3: " + ProgramPath.find("python3").map(Path::toString).orElse("not found"));
        System.out.println("cc: " + ProgramPath.find("cc").map(Path::toString)
                .orElse("not found (bench --baseline native needs it)"));
        return healthy ? 0 : 1;
    }

    /** The soft limit named {@code name} in /proc/self/limits. */
    private static String limit(String name) {
        try {
            return ProcFs.read(Path.of("/proc/self/limits")).lines().filter(l -> l.startsWith(name))
                    .map(l -> l.substring(name.length()).strip().split("\\s+")[0]).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
