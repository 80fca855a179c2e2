package io.github.ipcatlas.core;

import java.io.IOException;

import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Pins a thread to one CPU ({@code sched_setaffinity(2)}), so that a measurement is not disturbed by the scheduler
 * moving it. On Linux affinity belongs to a thread, not a process: each thread pins itself, and threads — and
 * processes — it starts afterwards inherit the setting, so start children before pinning, or unpin first.
 */
public final class CpuAffinity {
    private static final int CPU_SET_BYTES = 128; // glibc's cpu_set_t: 1024 CPUs

    private CpuAffinity() {
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @throws IllegalArgumentException if {@code cpu} is not one of this machine's CPUs
     */
    public static void pinCurrentThread(int cpu) throws IOException {
        if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) {
            throw new IllegalArgumentException("CPU " + cpu + " is outside 0.." + (CPU_SET_BYTES * 8 - 1));
        }
        Pointer mask = Memory.allocateDirect(Native.runtime(), CPU_SET_BYTES, true);
        mask.putByte(cpu / 8, (byte) (1 << (cpu % 8)));
        set(mask, "CPU " + cpu);
    }

    /**
     * Lets the calling thread run on the CPUs this process was given again: those of its main thread (what
     * {@code taskset} or a container set), not every CPU the machine has.
     */
    public static void unpinCurrentThread() throws IOException {
        set(processMask(), "the CPUs of process " + Native.libc().getpid());
    }

    /** The CPUs this process was given (its main thread's affinity: what {@code taskset} or a container set), in order. */
    public static int[] allowedCpus() throws IOException {
        Pointer mask = processMask();
        return java.util.stream.IntStream.range(0, CPU_SET_BYTES * 8)
                .filter(cpu -> (mask.getByte(cpu / 8) & (1 << (cpu % 8))) != 0).toArray();
    }

    private static Pointer processMask() throws IOException {
        Pointer mask = Memory.allocateDirect(Native.runtime(), CPU_SET_BYTES, true);
        int pid = Native.libc().getpid();
        if (Native.libc().sched_getaffinity(pid, CPU_SET_BYTES, mask) < 0) {
            throw Errors.of("sched_getaffinity", "process " + pid, Native.errno());
        }
        return mask;
    }

    private static void set(Pointer mask, String what) throws IOException {
        if (Native.libc().sched_setaffinity(0, CPU_SET_BYTES, mask) != 0) {
            int errno = Native.errno();
            throw Errors.of("sched_setaffinity", what, errno, errno == Errors.EINVAL
                    ? "that CPU is not available to this process (see Cpus_allowed_list in /proc/self/status)" : null);
        }
    }
}
