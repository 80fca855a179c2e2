package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.internal.LinuxConstants.O_CLOEXEC;
import static io.github.ipcatlas.core.internal.LinuxConstants.SIGKILL;
import static io.github.ipcatlas.core.internal.LinuxConstants.SIGTERM;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.github.ipcatlas.core.internal.LibC;
import io.github.ipcatlas.core.internal.Native;
import io.github.ipcatlas.core.internal.Spawn;
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

    private ChildProcess(int pid, String name, FdChannel stdout, FdChannel stderrChannel) {
        this.pid = pid;
        this.name = name;
        LIVE.add(this);
        this.stdoutReader = daemon("stdout of " + name,
                () -> pumpLines(stdout, stdoutLines::add, () -> stdoutLines.add(END_OF_OUTPUT)));
        this.stderrReader = daemon("stderr of " + name, () -> pumpLines(stderrChannel, this::keepStderr, () -> { }));
        daemon("waitpid " + pid, this::reap);
    }

    /** Starts building a child that runs {@code command} (the program is looked up on PATH). */
    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** Starts building a child that runs {@code command} (the program is looked up on PATH). */
    public static Builder builder(String... command) {
        return new Builder(List.of(command));
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
        String line;
        try {
            line = stdoutLines.poll(Deadline.check(timeout).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a line from " + this, e);
        }
        if (line == null) {
            throw new IpcTimeoutException("waiting for a line from " + this + describeStderr(), timeout);
        }
        if (line == END_OF_OUTPUT) {
            stdoutLines.add(END_OF_OUTPUT); // later callers see the end too
            throw new IOException(this + " closed its output" + exitDescription() + describeStderr());
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
     * script wants from a command that runs to completion. Each wait is bounded by {@code timeout}.
     *
     * @throws IpcTimeoutException if the child keeps its output open or keeps running past {@code timeout}
     */
    public Outcome finish(Duration timeout) throws IOException {
        List<String> stdout = remainingLines(timeout);
        int exitCode = awaitExit(timeout);
        return new Outcome(exitCode, stdout, stderr());
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

    /** What the child wrote to standard error so far (its last {@value #STDERR_KEEP} characters). */
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
        joinQuietly(stdoutReader);
        joinQuietly(stderrReader);
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

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Describes a child to start. Not thread-safe. */
    public static final class Builder {
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        private final SortedMap<Integer, FdChannel> inherited = new TreeMap<>();
        private String name;
        private int[] blockedSignals = new int[0];

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command is empty");
            }
            command.forEach(part -> Objects.requireNonNull(part, "command part"));
            this.command = new ArrayList<>(command);
        }

        /** Appends arguments to the command line. */
        public Builder args(String... args) {
            for (String arg : args) {
                command.add(Objects.requireNonNull(arg, "argument"));
            }
            return this;
        }

        /** Sets (or, with {@code null}, removes) an environment variable; the child starts with ours. */
        public Builder environment(String key, String value) {
            if (value == null) {
                environment.remove(key);
            } else {
                environment.put(key, value);
            }
            return this;
        }

        /**
         * Hands {@code channel}'s descriptor to the child as descriptor {@code childFd} (3 or above). Our own
         * descriptor stays open; close it after {@link #start()} if the child alone should hold that end.
         */
        public Builder inheritFd(FdChannel channel, int childFd) {
            if (childFd < 3 || childFd > 1023) {
                throw new IllegalArgumentException("child descriptor " + childFd
                        + " is out of range: 0-2 are the child's standard streams; use 3 to 1023");
            }
            if (inherited.containsKey(childFd)) {
                throw new IllegalArgumentException("child descriptor " + childFd + " is already assigned");
            }
            inherited.put(childFd, Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /**
         * Starts the child with {@code signals} (numbers, 1 to 64) blocked. A JVM started so has them blocked in every
         * thread, so that it can read them with {@code signalfd(2)} instead of being killed by their default action.
         * Every other signal starts unblocked and at its default disposition.
         */
        public Builder blockSignals(int... signals) {
            blockedSignals = checkSignals(signals);
            return this;
        }

        /** A copy of {@code signals}, each checked to be a signal number. */
        static int[] checkSignals(int... signals) {
            for (int signal : signals) {
                if (signal < 1 || signal > 64) {
                    throw new IllegalArgumentException("signal number " + signal + " is outside 1..64");
                }
            }
            return signals.clone();
        }

        /** The name used in messages (default: the program). */
        public Builder name(String displayName) {
            this.name = displayName;
            return this;
        }

        /** The command line as it will run. */
        public List<String> command() {
            return List.copyOf(command);
        }

        /** Starts the child. */
        public ChildProcess start() throws IOException {
            FdChannel[] out = pipe("stdout of " + command.get(0));
            FdChannel[] err;
            try {
                err = pipe("stderr of " + command.get(0));
            } catch (IOException e) {
                closeAll(out);
                throw e;
            }
            DescriptorLease[] leases = new DescriptorLease[inherited.size()]; // the caller's channels, held until spawned
            try {
                SortedMap<Integer, Integer> fdMap = new TreeMap<>();
                fdMap.put(1, out[1].fd());
                fdMap.put(2, err[1].fd());
                int i = 0;
                for (Map.Entry<Integer, FdChannel> e : inherited.entrySet()) {
                    leases[i] = e.getValue().lease();
                    fdMap.put(e.getKey(), leases[i++].fd());
                }
                int pid = Spawn.spawn(command, environment, fdMap, blockedSignals);
                out[1].close(); // only the child may hold the write ends, or we would never see EOF
                err[1].close();
                return new ChildProcess(pid, name != null ? name : command.get(0), out[0], err[0]);
            } catch (IOException | RuntimeException e) {
                closeAll(out);
                closeAll(err);
                throw e;
            } finally {
                DescriptorLease.closeAll(leases);
            }
        }

        private static FdChannel[] pipe(String description) throws IOException {
            int[] fds = new int[2];
            if (Native.libc().pipe2(fds, O_CLOEXEC) != 0) {
                throw Errors.of("pipe2", description, Native.errno());
            }
            return new FdChannel[] {new FdChannel(fds[0], description), new FdChannel(fds[1], description)};
        }

        private static void closeAll(FdChannel[] channels) {
            for (FdChannel channel : channels) {
                try {
                    channel.close();
                } catch (IOException | UncheckedIOException ignored) {
                    // already failing; the first error is the one to report
                }
            }
        }
    }
}
