package io.github.ipcatlas.comparison.bench;

import java.io.IOException;

import io.github.ipcatlas.core.CpuClock;

/**
 * CPU time both processes of a measurement use between {@link #start} and {@link #nanos()}: this JVM's (all its
 * threads: for a thread mechanism that includes the peer thread) and the peer process's, if there is one. Read
 * outside the measured loop, from the kernel's process CPU clocks, so it costs the loop nothing.
 *
 * <p>Read it over a second or more: the kernel brings the count of a thread that is running on another CPU up to date
 * only at a scheduler tick, and on the development VM readings over a few tens of milliseconds strayed from the wall
 * clock by tens of milliseconds (more CPU than two CPUs can give), where over a second they agreed within 2 %.
 */
final class CpuMeter {
    private final long peerPid;
    private final long start;

    private CpuMeter(long peerPid) throws IOException {
        this.peerPid = peerPid;
        this.start = total();
    }

    /** Starts counting; {@code peerPid} is the peer process, or -1 when the peer is a thread of this JVM. */
    static CpuMeter start(long peerPid) throws IOException {
        return new CpuMeter(peerPid);
    }

    /** Nanoseconds of CPU both sides used since {@link #start}. */
    long nanos() throws IOException {
        return total() - start;
    }

    private long total() throws IOException {
        return CpuClock.ofThisProcess() + (peerPid > 0 ? CpuClock.of(peerPid) : 0);
    }
}
