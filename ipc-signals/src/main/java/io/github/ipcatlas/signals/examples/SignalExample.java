package io.github.ipcatlas.signals.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.signals.GracefulShutdown;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;

/**
 * The write-up's idea — "a process can send another a signal to tell it something happened; SIGINT, for example,
 * ends a process" — as two processes. The parent starts a child JVM that creates a file (standing for any IPC object
 * that outlives a process) and installs a {@link GracefulShutdown}; the parent sends SIGINT; the child's handler
 * removes the file and exits with 130 (128 + 2); the parent reports how the child ended. Then the same with SIGTERM
 * (143).
 */
public final class SignalExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new SignalExample().run(System.out);
    }

    @Override
    public String name() {
        return "signal";
    }

    @Override
    public String summary() {
        return "signals twin: a parent sends SIGINT, then SIGTERM, to a child that cleans up and exits";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        for (Signal signal : new Signal[] {Signal.INT, Signal.TERM}) {
            Path marker = Files.createTempFile("ipc-atlas-signal-demo-", ".lock");
            try (ChildProcess child = ChildJvm.builder(Child.class).quickStart().args(marker.toString()).start()) {
                child.awaitLine("ready", DEADLINE);
                out.println("parent: sending " + signal.fullName() + " to child " + child.pid());
                Signals.send(child.pid(), signal);
                for (String line : child.remainingLines(DEADLINE)) {
                    out.println(line);
                }
                int status = child.awaitExit(DEADLINE);
                out.println("parent: child exited with status " + status
                        + (status > 128 ? " (128 + " + Signal.of(status - 128).fullName() + ")" : "")
                        + (Files.exists(marker) ? ", leaving its file behind" : ", its file removed"));
            } finally {
                Files.deleteIfExists(marker);
            }
        }
    }

    /** The child: owns a file, and removes it when asked to end. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Path owned = Path.of(args[0]);
            GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(5), System.out, status -> {
                System.out.println("child: exiting with status " + status);
                System.out.flush();
                System.exit(status);
            });
            shutdown.onShutdown("remove " + owned, () -> {
                Files.deleteIfExists(owned);
                System.out.println("child: removed my file");
            });
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // the work; only a signal ends it
        }
    }
}
