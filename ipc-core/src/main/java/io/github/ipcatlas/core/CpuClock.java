package io.github.ipcatlas.core;

import java.io.IOException;

import io.github.ipcatlas.core.linux.KernelStructs;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The CPU time a process has used, in nanoseconds, from the kernel's per-process CPU clock: what
 * {@code clock_getcpuclockid(3)} hands out, read with {@code clock_gettime(2)}. It counts every thread of the
 * process, those that have exited included, in user and in kernel mode — the cost of a mechanism to the machine,
 * where a wall-clock figure only says how long one side waited. {@code /proc/PID/stat} has the same sum in clock
 * ticks (10 ms); this clock has nanoseconds, enough to tell a sleeping wait from a spinning one over a short run.
 *
 * <p>Any process of the same user can be read; the clock of a process that has been reaped is gone.
 */
public final class CpuClock {
    /** The kernel's clock id for a process's CPU clock: {@code MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)}. */
    private static final int CPUCLOCK_SCHED = 2;
    private static final int CPUCLOCK_SHIFT = 3;

    private CpuClock() {
    }

    /** CPU time this process has used so far. */
    public static long ofThisProcess() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /**
     * CPU time process {@code pid} has used so far.
     *
     * @throws IllegalArgumentException if {@code pid} is not a process id (0, negative or over {@code pid_max}'s
     *                                  limit of 2^22)
     * @throws IOException              if no such process exists (any more)
     */
    public static long of(long pid) throws IOException {
        if (pid <= 0 || pid > 1 << 22) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id (1.." + (1 << 22) + ")");
        }
        int clock = (~(int) pid << CPUCLOCK_SHIFT) | CPUCLOCK_SCHED;
        Pointer timespec = Memory.allocateDirect(Native.runtime(), KernelStructs.TIMESPEC_BYTES, true);
        if (Native.libc().clock_gettime(clock, timespec.address()) != 0) {
            int errno = Native.errno();
            throw Errors.of("clock_gettime", "the CPU clock of process " + pid, errno,
                    errno == Errors.EINVAL ? "no process " + pid + " exists (any more)" : null);
        }
        return timespec.getLong(KernelStructs.TIMESPEC_SEC) * 1_000_000_000L
                + timespec.getLong(KernelStructs.TIMESPEC_NSEC);
    }
}
