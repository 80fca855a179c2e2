package io.github.ipcatlas.signals;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import io.github.ipcatlas.core.ProcFs;

/**
 * What a process (or one of its threads) does with each signal, decoded from {@code /proc/PID/status}
 * ({@code proc(5)}): the hexadecimal masks {@code SigPnd} (pending for the thread), {@code ShdPnd} (pending for the
 * process), {@code SigBlk} (blocked — a per-thread mask; the process file shows the main thread's), {@code SigIgn}
 * (ignored) and {@code SigCgt} (caught by a handler). Anything in none of these takes its default action.
 *
 * @param pid the process
 * @param thread the thread whose per-thread masks these are (the pid itself for the main thread)
 * @param pending pending for this thread ({@code SigPnd})
 * @param sharedPending pending for the whole process ({@code ShdPnd})
 * @param blocked blocked in this thread
 * @param ignored ignored by the process
 * @param caught handled by the process
 */
public record SignalDispositions(long pid, long thread, Set<Signal> pending, Set<Signal> sharedPending,
                                 Set<Signal> blocked, Set<Signal> ignored, Set<Signal> caught) {

    /** The dispositions of process {@code pid} (main thread's masks). */
    public static SignalDispositions of(long pid) throws IOException {
        return read(pid, pid, Path.of("/proc", Long.toString(pid), "status"));
    }

    /** The dispositions as seen by thread {@code tid} of process {@code pid}. */
    public static SignalDispositions ofThread(long pid, long tid) throws IOException {
        return read(pid, tid, Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "status"));
    }

    /** This JVM's. */
    public static SignalDispositions current() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /**
     * The signals in a {@code /proc} mask: bit {@code n-1} set means signal {@code n}. Bits of the two real-time
     * signals glibc keeps for itself are skipped.
     *
     * @throws IllegalArgumentException if {@code hex} is not a 64-bit hexadecimal mask
     */
    public static Set<Signal> decode(String hex) {
        long mask;
        try {
            mask = Long.parseUnsignedLong(hex.trim(), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("signal mask \"" + hex + "\" is not 16 hexadecimal digits");
        }
        Set<Signal> signals = new TreeSet<>();
        for (int n = 1; n <= 64; n++) {
            if ((mask & (1L << (n - 1))) != 0 && (n < 32 || n >= Signal.RTMIN)) {
                signals.add(Signal.of(n));
            }
        }
        return Collections.unmodifiableSet(signals);
    }

    private static SignalDispositions read(long pid, long tid, Path status) throws IOException {
        if (pid < 1 || tid < 1) {
            throw new IllegalArgumentException("pid " + pid + " / thread " + tid + " must be positive");
        }
        String text;
        try {
            text = ProcFs.read(status);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(status.toString(), null, "no such process or thread");
        }
        return new SignalDispositions(pid, tid, field(text, "SigPnd", status), field(text, "ShdPnd", status),
                field(text, "SigBlk", status), field(text, "SigIgn", status), field(text, "SigCgt", status));
    }

    private static Set<Signal> field(String status, String name, Path file) throws IOException {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return decode(line.substring(name.length() + 1));
            }
        }
        throw new IOException(file + " has no " + name + " line");
    }

    /** What {@code signal} would do if it arrived now: blocked, ignored, caught, or its default action. */
    public String describe(Signal signal) {
        if (blocked.contains(signal)) {
            return "blocked (stays pending)";
        }
        if (ignored.contains(signal)) {
            return "ignored";
        }
        if (caught.contains(signal)) {
            return "caught by a handler";
        }
        return "default action";
    }
}
