package io.github.ipcatlas.core;

import static io.github.ipcatlas.core.linux.LinuxConstants.O_CLOEXEC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.core.internal.Spawn;

/** Describes a child process to start ({@link ChildProcess#builder}). Not thread-safe. */
public final class ChildProcessBuilder {
    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>(System.getenv());
    private final SortedMap<Integer, FdChannel> inherited = new TreeMap<>();
    private String name;
    private int[] blockedSignals = new int[0];

    ChildProcessBuilder(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        command.forEach(part -> Objects.requireNonNull(part, "command part"));
        this.command = new ArrayList<>(command);
    }

    /** Appends arguments to the command line. */
    public ChildProcessBuilder args(String... args) {
        for (String arg : args) {
            command.add(Objects.requireNonNull(arg, "argument"));
        }
        return this;
    }

    /** Sets (or, with {@code null}, removes) an environment variable; the child starts with ours. */
    public ChildProcessBuilder environment(String key, String value) {
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
    public ChildProcessBuilder inheritFd(FdChannel channel, int childFd) {
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
    public ChildProcessBuilder blockSignals(int... signals) {
        blockedSignals = checkSignals(signals);
        return this;
    }

    /** A copy of {@code signals}, each checked to be a signal number. */
    static int[] checkSignals(int... signals) {
        for (int signal : signals) {
            LinuxConstants.checkSignal(signal);
        }
        return signals.clone();
    }

    /** The name used in messages (default: the program). */
    public ChildProcessBuilder name(String displayName) {
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
