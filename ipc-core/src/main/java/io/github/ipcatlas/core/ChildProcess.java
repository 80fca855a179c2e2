package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.linux.LinuxConstants.SIGKILL;
import static io.github.ipcatlas.core.linux.LinuxConstants.SIGTERM;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.github.ipcatlas.core.linux.LibC;
import io.github.ipcatlas.core.linux.Native;
import jnr.ffi.byref.IntByReference;

/**
 * A child process started with {@code posix_spawnp(3)}, able to inherit any of our descriptors at a chosen number
 * (ProcessBuilder cannot: it closes every descriptor above 2 in the child).
 *
 * <p>The child's standard output is read line by line for handshakes ({@link #awaitLine}), its standard error is
 * kept (the last {@value #STDERR_KEEP} characters) for failure messages, its standard input is {@code /dev/null}.
 * {@link #close()} ends it: SIGTERM, then SIGKILL after a grace period, then reaps it. A JVM shutdown hook ends
 * children still running when this JVM exits normally, so a failed test does not leave processes behind.
 *
 * <p>Thread-safe. Exit codes follow the shell: {@code 128 + N} when signal N ended the child.
 */
public final class ChildProcess implements AutoCloseable {
    static final int STDERR_KEEP = 16 * 1024;
    private static final String END_OF_OUTPUT = new String("end of output"); // identity-compared sentinel
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(c -> c.kill(SIGKILL)), "child-reaper"));
    }

    private final int pid;
    private final String name;
    private final LinkedBlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    ChildProcess(int pid, String name, FdChannel stdout, FdChannel stderrChannel) {
        this.pid = pid;
        this.name = name;
        LIVE.add(this);
        this.stdoutReader = daemon("stdout of " + name,
                () -> pumpLines(stdout, stdoutLines::add, () -> stdoutLines.add(END_OF_OUTPUT)));
        this.stderrReader = daemon("stderr of " + name, () -> pumpLines(stderrChannel, this::keepStderr, () -> { }));
        daemon("waitpid " + pid, this::reap);
    }

    /** Starts building a child that runs {@code command} (the program is looked up on PATH). */
    public static ChildProcessBuilder builder(List<String> command) {
        return new ChildProcessBuilder(command);
    }

    /** Starts building a child that runs {@code command} (the program is looked up on PATH). */
    public static ChildProcessBuilder builder(String... command) {
        return new ChildProcessBuilder(List.of(command));
    }

    /** The child's process id. */
    public long pid() {
        return pid;
    }

    /**
     * Waits for the next line the child prints on standard output.
     *
     * @throws IpcTimeoutException when no line comes in time (the message includes the child's standard error)
     * @throws IOException when the child closed its output first (the message includes its exit code and stderr)
     */
    public String nextLine(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        String line;
        try {
            line = stdoutLines.poll(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a line from " + this, e);
        }
        if (line == null) {
            throw new IpcTimeoutException("waiting for a line from " + this + describeStderr(), timeout);
        }
        if (line == END_OF_OUTPUT) {
            stdoutLines.add(END_OF_OUTPUT); // later callers see the end too
            String exited = exitDescription();
            // its last lines, which say why, may still be in the pipe: wait for them until the deadline, at most 5 s
            joinQuietly(stderrReader, Math.min(deadline.remainingMillis(), TimeUnit.SECONDS.toMillis(5)));
            throw new IOException(this + " closed its output" + exited + describeStderr());
        }
        return line;
    }

    /**
     * Waits until the child prints {@code expected} as a whole line, skipping other lines; the handshake of a peer
     * that prints {@code ready} once it is listening.
     */
    public void awaitLine(String expected, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            String line;
            try {
                line = nextLine(Duration.ofNanos(deadline.remainingNanos()));
            } catch (IpcTimeoutException e) {
                throw new IpcTimeoutException("waiting for \"" + expected + "\" from " + this + describeStderr(),
                        timeout);
            }
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** Every line printed so far and not yet consumed, plus the rest until the child closes its output. */
    public List<String> remainingLines(Duration timeout) throws IOException {
        List<String> lines = new ArrayList<>();
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            try {
                lines.add(nextLine(Duration.ofNanos(deadline.remainingNanos())));
            } catch (IpcTimeoutException e) {
                throw e;
            } catch (IOException endOfOutput) {
                return lines;
            }
        }
    }

    /**
     * Reads the child's output until it closes it, waits for it to exit, and returns all three: what a test or a
     * script wants from a command that runs to completion, all within {@code timeout}.
     *
     * @throws IpcTimeoutException if the child keeps its output open or keeps running past {@code timeout}
     */
    public Outcome finish(Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        List<String> stdout = remainingLines(timeout);
        int exitCode = awaitExit(Duration.ofNanos(Math.max(1, deadline.remainingNanos())));
        // the child has exited, but the thread that reads its stderr may not have read the last lines yet; a
        // grandchild that keeps stderr open holds this to the one deadline of the whole call, no longer
        try {
            stderrReader.join(Math.max(1, deadline.remainingMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the stderr of " + this, e);
        }
        return new Outcome(exitCode, stdout, stderr()); // a grandchild may hold stderr open: then what came so far
    }

    /**
     * How a child that ran to completion ended.
     *
     * @param exitCode its exit code ({@code 128 + N} if signal N ended it)
     * @param stdout   the lines it printed on standard output that nobody had consumed
     * @param stderr   what it wrote to standard error (the last {@value #STDERR_KEEP} characters)
     */
    public record Outcome(int exitCode, List<String> stdout, String stderr) {
    }

    /**
     * Waits for the child to exit and returns its exit code ({@code 128 + N} if signal N ended it).
     *
     * @throws IpcTimeoutException if it is still running after {@code timeout} (it is left running)
     */
    public int awaitExit(Duration timeout) throws IOException {
        try {
            return exit.get(Deadline.check(timeout).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IpcTimeoutException("waiting for " + this + " to exit" + describeStderr(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + this, e);
        } catch (ExecutionException e) {
            throw new IOException("waitpid(" + pid + ") failed", e.getCause());
        }
    }

    /** The exit code, once the child has exited. */
    public Optional<Integer> exitCode() {
        return Optional.ofNullable(exit.getNow(null));
    }

    /** Whether the child is still running (has not been reaped). */
    public boolean isAlive() {
        return !exit.isDone();
    }

    /**
     * What the child wrote to standard error so far (its last {@value #STDERR_KEEP} characters). A thread reads it as
     * it comes, so right after {@link #awaitExit} its last lines may still be on their way; {@link #finish} waits
     * for them.
     */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Sends {@code signal} to the child, unless it has already been reaped (its pid may be reused then). */
    public void kill(int signal) {
        synchronized (exit) {
            if (!exit.isDone()) {
                Native.libc().kill(pid, signal);
            }
        }
    }

    /** Ends the child: SIGTERM, SIGKILL after {@code grace}, then waits until it is reaped. Idempotent. */
    public void close(Duration grace) {
        if (isAlive()) {
            kill(SIGTERM);
            try {
                exit.get(Deadline.check(grace).toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                kill(SIGKILL);
            } catch (InterruptedException e) {
                kill(SIGKILL);
                Thread.currentThread().interrupt();
            }
        }
        try {
            exit.join();
        } catch (java.util.concurrent.CompletionException reapFailed) {
            // waitpid failed (someone else reaped the child): it is gone either way, nothing to end
        }
        joinQuietly(stdoutReader, TimeUnit.SECONDS.toMillis(5));
        joinQuietly(stderrReader, TimeUnit.SECONDS.toMillis(5));
        LIVE.remove(this);
    }

    /** {@link #close(Duration)} with a two-second grace period. */
    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "child " + name + " (pid " + pid + ")";
    }

    private String exitDescription() {
        try {
            return " and exited with " + exit.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    private String describeStderr() {
        String text = stderr().strip();
        return text.isEmpty() ? "" : "; its stderr:\n" + text;
    }

    private void keepStderr(String line) {
        synchronized (stderr) {
            stderr.append(line).append('\n');
            if (stderr.length() > STDERR_KEEP) {
                stderr.delete(0, stderr.length() - STDERR_KEEP);
            }
        }
    }

    /** Reads {@code channel} line by line until end of stream, then runs {@code atEnd}. */
    private static void pumpLines(FdChannel channel, Consumer<String> sink, Runnable atEnd) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(channel.inputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException e) {
            sink.accept("[reading failed: " + e.getMessage() + "]");
        } finally {
            atEnd.run();
        }
    }

    private void reap() {
        LibC libc = Native.libc();
        IntByReference status = new IntByReference();
        while (true) {
            int result = libc.waitpid(pid, status, 0);
            if (result == pid) {
                int raw = status.intValue();
                int termSignal = raw & 0x7f;
                synchronized (exit) {
                    exit.complete(termSignal == 0 ? (raw >> 8) & 0xff : 128 + termSignal);
                }
                LIVE.remove(this);
                return;
            }
            int errno = Native.errno();
            if (errno != Errors.EINTR) {
                synchronized (exit) {
                    exit.completeExceptionally(Errors.of("waitpid", String.valueOf(pid), errno));
                }
                LIVE.remove(this);
                return;
            }
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits at most {@code millis} (at least 1 ms) for {@code thread} to end; an interrupt ends the wait. */
    private static void joinQuietly(Thread thread, long millis) {
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
