package io.github.ipcatlas.comparison.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.ipcatlas.comparison.bench.Environment;
import io.github.ipcatlas.comparison.bench.Pinning;
import io.github.ipcatlas.core.NativeUnavailableException;
import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.core.ProgramPath;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.shm.MemFd;
import io.github.ipcatlas.signals.PidFd;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.sockets.SocketAddresses;
import io.github.ipcatlas.sysv.SysvLimits;
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
        Environment.capture(Pinning.NONE).facts().forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.println("open_files_limit: " + limit("Max open files")
                + " (descriptors per process: pipes, FIFOs, queues and sockets each take one; raise with ulimit -n)");
        System.out.println("msgqueue_bytes_limit: " + limit("Max msgqueue size") + defaultQueuesThatFit());
        System.out.println("dev_mqueue_mounted: " + Files.isDirectory(Path.of("/dev/mqueue"))
                + (Files.isDirectory(Path.of("/dev/mqueue")) ? "" : " (queues work; only `ls /dev/mqueue` does not)"));
        System.out.println("dev_shm_free_bytes: " + devShmFree()
                + " (shared memory and semaphores live there; containers often give it only 64 MiB)");
        System.out.println("jvm_reserved_signals: " + reservedSignals() + " (HotSpot uses them; handle USR1, HUP, "
                + "TERM, INT or read real-time signals with signalfd instead)");
        System.out.println("realtime_signals: " + Signal.of(Signal.RTMIN).fullName() + ".." + Signal.of(Signal.RTMAX)
                .fullName() + " = " + Signal.RTMIN + ".." + Signal.RTMAX + " (glibc keeps 32 and 33; a JVM reads them "
                + "only if started with them blocked: ChildJvm.blockSignals)");
        System.out.println("sigpending_limit: " + limit("Max pending signals") + " (queued real-time signals per "
                + "user before sigqueue fails with EAGAIN; raise with ulimit -i)");
        System.out.println("pidfds: " + pidfds());
        System.out.println("memfd_seals: " + memfdSeals());
        systemV().forEach(System.out::println);
        System.out.println("unix_socket_path_max: " + SocketAddresses.MAX_UNIX_PATH_BYTES
                + " bytes (sun_path is 108 bytes with its NUL: keep socket paths short)");
        String twoHosts = io.github.ipcatlas.comparison.bench.Mechanisms.byId("tcp-veth").cannotCarry(64);
        System.out.println("network_namespaces: " + (twoHosts == null
                ? "can be made (unshare, ip, as root): bench can measure tcp-veth, udp-veth and peer-aeron-udp, and "
                + "the two-host socket tests run here"
                : "cannot be made here: " + twoHosts + "; cross-host measurements need another machine"));
        System.out.println("python3: " + ProgramPath.find("python3").map(Path::toString).orElse("not found"));
        System.out.println("cc: " + ProgramPath.find("cc").map(Path::toString)
                .orElse("not found (bench --baseline native needs it)"));
        return healthy ? 0 : 1;
    }

    private static String defaultQueuesThatFit() {
        try {
            io.github.ipcatlas.mqueue.MqueueLimits limits = io.github.ipcatlas.mqueue.MqueueLimits.read();
            long perQueue = io.github.ipcatlas.mqueue.MqueueLimits.chargedBytes(io.github.ipcatlas.mqueue.QueueAttributes
                    .of(limits.messagesDefault(), limits.messageSizeDefault()));
            return limits.userBytesLimit() < 0 ? " (unlimited)" : " (" + limits.userBytesLimit() / perQueue
                    + " default-size queues fit per user; a leaked queue keeps its share; raise with ulimit -q)";
        } catch (IOException | RuntimeException e) {
            return " (message-queue limits unreadable: " + e.getMessage() + ")";
        }
    }

    /** The System V limits, and how many System V objects exist now (leftovers stay until removed). */
    private static List<String> systemV() {
        try {
            SysvLimits limits = SysvLimits.read();
            return List.of("sysv_msg_limits: " + limits.messageMax() + " bytes per message, " + limits.queueBytesDefault()
                            + " bytes per queue, " + limits.queuesMax() + " queues (sysctl kernel.msgmax, kernel.msgmnb, kernel.msgmni)",
                    "sysv_shm_limits: " + bounded(limits.segmentMax()) + " bytes per segment, "
                            + bounded(limits.sharedPagesMax()) + " pages in all, " + limits.segmentsMax() + " segments (sysctl kernel.shmmax, kernel.shmall, kernel.shmmni)",
                    "sysv_sem_limits: " + limits.semaphoresPerSet() + " per set, " + limits.semaphoresMax() + " in all, "
                            + limits.operationsPerCall() + " operations per semop, " + limits.setsMax() + " sets (sysctl kernel.sem)",
                    "sysv_objects: " + entries("msg") + " queues, " + entries("shm") + " segments, " + entries("sem")
                            + " semaphore sets exist now (they outlive their processes: ipcs lists them, ipcrm removes them)");
        } catch (IOException | RuntimeException e) {
            return List.of("sysv: unavailable: " + e.getMessage() + " (a kernel without CONFIG_SYSVIPC)");
        }
    }

    /** A limit, or "no limit" when the kernel's default is (nearly) 2^64. */
    private static String bounded(long limit) {
        return limit == Long.MAX_VALUE ? "unlimited" : String.valueOf(limit);
    }

    /** Objects listed in /proc/sysvipc/KIND, one line each after a header. */
    private static long entries(String kind) throws IOException {
        return ProcFs.read(Path.of("/proc/sysvipc/" + kind)).lines().count() - 1;
    }

    /** Which memfd seals this kernel takes, tried on a fresh memfd (FUTURE_WRITE: Linux 5.1, EXEC: 6.3). */
    private static String memfdSeals() {
        StringBuilder taken = new StringBuilder();
        for (MemFd.Seal seal : MemFd.Seal.values()) {
            try (MemFd memory = MemFd.create("doctor")) {
                memory.seal(seal);
                taken.append(taken.length() == 0 ? "" : " ").append(seal);
            } catch (IOException | RuntimeException refused) {
                if (seal == MemFd.Seal.SHRINK) {
                    return "unavailable: " + refused.getMessage() + " (memfd_create needs Linux 3.17)";
                }
            }
        }
        return taken + " (MemFd, SealedMemory, memfd serve/receive; FUTURE_WRITE needs Linux 5.1, EXEC 6.3)";
    }

    /** Whether pidfd_open works here (Linux 5.3+), tried on this process. */
    private static String pidfds() {
        try (PidFd self = PidFd.open(ProcessHandle.current().pid())) {
            return "available (pidfd_open, pidfd_send_signal: PidFd, signal wait-exit, signal send --pidfd)";
        } catch (IOException | RuntimeException e) {
            return "unavailable: " + e.getMessage() + " (they need Linux 5.3 or newer)";
        }
    }

    private static String reservedSignals() {
        StringBuilder names = new StringBuilder();
        for (int n = 1; n <= 31; n++) {
            Signal signal = Signal.of(n);
            if (signal.reservedReason() != null && signal != Signal.KILL && signal != Signal.STOP) {
                names.append(names.length() == 0 ? "" : " ").append(signal.name());
            }
        }
        return names.toString();
    }

    private static String devShmFree() {
        try {
            return String.valueOf(Files.getFileStore(Path.of("/dev/shm")).getUsableSpace());
        } catch (IOException e) {
            return "unavailable";
        }
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
