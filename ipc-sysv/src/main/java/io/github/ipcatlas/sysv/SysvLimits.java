package io.github.ipcatlas.sysv;

import java.io.IOException;
import java.nio.file.Path;

import io.github.ipcatlas.core.ProcFs;

/**
 * The kernel's System V limits, read from {@code /proc/sys/kernel} (each one is set per IPC namespace with
 * {@code sysctl -w kernel.NAME=VALUE}, or in {@code /etc/sysctl.d/}).
 *
 * @param messageMax        {@code kernel.msgmax}: the largest message text {@code msgsnd} takes (default 8192)
 * @param queueBytesDefault {@code kernel.msgmnb}: a new queue's capacity in bytes, {@code msg_qbytes} (16384)
 * @param queuesMax         {@code kernel.msgmni}: message queues in the namespace (32000)
 * @param segmentMax        {@code kernel.shmmax}: the largest segment in bytes
 * @param sharedPagesMax    {@code kernel.shmall}: pages all segments together may use
 * @param segmentsMax       {@code kernel.shmmni}: segments in the namespace (4096)
 * @param semaphoresPerSet  {@code kernel.sem} field 1, SEMMSL: semaphores in one set (32000)
 * @param semaphoresMax     field 2, SEMMNS: semaphores in all sets
 * @param operationsPerCall field 3, SEMOPM: operations in one {@code semop} call (500)
 * @param setsMax           field 4, SEMMNI: semaphore sets in the namespace (32000)
 */
public record SysvLimits(long messageMax, long queueBytesDefault, long queuesMax, long segmentMax, long sharedPagesMax,
                         long segmentsMax, int semaphoresPerSet, long semaphoresMax, int operationsPerCall,
                         int setsMax) {
    private static final Path KERNEL = Path.of("/proc/sys/kernel");

    /** Reads the limits now in force. */
    public static SysvLimits read() throws IOException {
        String[] sem = ProcFs.read(KERNEL.resolve("sem")).split("\\s+");
        if (sem.length != 4) {
            throw new IOException("/proc/sys/kernel/sem holds \"" + String.join(" ", sem) + "\", not four numbers");
        }
        try {
            return new SysvLimits(number("msgmax"), number("msgmnb"), number("msgmni"), unsigned("shmmax"),
                    unsigned("shmall"), number("shmmni"), Integer.parseInt(sem[0]), Long.parseLong(sem[1]),
                    Integer.parseInt(sem[2]), Integer.parseInt(sem[3]));
        } catch (NumberFormatException e) {
            throw new IOException("/proc/sys/kernel/sem holds \"" + String.join(" ", sem) + "\", not four numbers", e);
        }
    }

    private static long number(String name) throws IOException {
        return ProcFs.readLong(KERNEL.resolve(name));
    }

    /** shmmax and shmall default to nearly 2^64 and are printed unsigned; anything past Long.MAX_VALUE is unlimited. */
    private static long unsigned(String name) throws IOException {
        String text = ProcFs.read(KERNEL.resolve(name));
        try {
            long value = Long.parseUnsignedLong(text);
            return value < 0 ? Long.MAX_VALUE : value;
        } catch (NumberFormatException e) {
            throw new IOException("/proc/sys/kernel/" + name + " holds \"" + text + "\", not a number", e);
        }
    }
}
