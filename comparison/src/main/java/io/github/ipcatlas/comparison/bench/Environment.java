package io.github.ipcatlas.comparison.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ipcatlas.core.ProcFs;

/**
 * What decides the numbers, captured with every result: CPU, kernel, JVM and its flags, the IPC limits in force,
 * how the two sides were pinned ({@link Pinning}: none, split or same) and, for a benchmark, its C baseline.
 *
 * @param facts ordered name → value pairs, for every output format
 */
public record Environment(Map<String, String> facts) {

    /** Reads the environment of this machine and JVM now. */
    public static Environment capture(Pinning pinning) {
        return capture(pinning, null);
    }

    /**
     * Reads the environment of this machine and JVM now, with the {@code --baseline} the results were set against
     * ({@code none}, {@code native}, or {@code native-threaded}: C processes with a second, sleeping, thread each).
     */
    public static Environment capture(Pinning pinning, String baseline) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cpu_model", cpuModel());
        facts.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        facts.put("pipe_max_size", proc("/proc/sys/fs/pipe-max-size"));
        facts.put("mq_msg_max", proc("/proc/sys/fs/mqueue/msg_max"));
        facts.put("mq_msgsize_max", proc("/proc/sys/fs/mqueue/msgsize_max"));
        facts.put("dev_shm_bytes", devShmSize());
        facts.put("pinned", pinning.description());
        facts.put("captured_at", Instant.now().toString());
        if (baseline != null) { // last: the environment columns of earlier files keep their order
            facts.put("baseline", baseline);
        }
        return new Environment(java.util.Collections.unmodifiableMap(facts));
    }

    private static String cpuModel() {
        try {
            return ProcFs.read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String proc(String file) {
        try {
            return ProcFs.read(Path.of(file));
        } catch (IOException e) {
            return "unavailable";
        }
    }

    private static String devShmSize() {
        try {
            return String.valueOf(Files.getFileStore(Path.of("/dev/shm")).getTotalSpace());
        } catch (IOException e) {
            return "unavailable";
        }
    }
}
