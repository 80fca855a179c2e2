package io.github.ipcatlas.signals.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.Errors;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.signals.PidFd;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.SignalFd;
import io.github.ipcatlas.signals.SignalInfo;
import io.github.ipcatlas.signals.SignalWaiter;
import io.github.ipcatlas.signals.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc-atlas signal send|wait}: signals from the shell. */
@Command(name = "signal", mixinStandardHelpOptions = true,
        description = "Send a signal (optionally queued with a value), wait for one, or wait for a process to exit.",
        subcommands = {SignalCommand.Send.class, SignalCommand.Wait.class, SignalCommand.WaitExit.class})
public final class SignalCommand {

    /** Runs {@code signal} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new SignalCommand(), args);
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send SIGNAL (USR1, SIGUSR1, 10, RTMIN+2) to the process PID; with --value, queue it "
                    + "with that integer (sigqueue); with --pidfd, through a pidfd (pidfd_open, pidfd_send_signal).")
    static final class Send implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PID")
        long pid;

        @Parameters(index = "1", paramLabel = "SIGNAL")
        String signal;

        @Option(names = "--value", paramLabel = "N", description = "an int payload, queued with it (sigqueue(3), or "
                + "pidfd_send_signal with SI_QUEUE under --pidfd)")
        Integer value;

        @Option(names = "--pidfd", description = "send through a pidfd (pidfd_open, pidfd_send_signal); opened from the "
                + "number, so from a shell it races with pid reuse just as kill does: it shows the calls")
        boolean pidfd;

        @Override
        public Integer call() throws IOException {
            Signal parsed = Signal.parse(signal);
            if (pidfd) {
                try (PidFd process = PidFd.open(pid)) {
                    if (value == null) {
                        process.send(parsed);
                    } else {
                        process.queue(parsed, value);
                    }
                }
            } else if (value == null) {
                Signals.send(pid, parsed);
            } else {
                Signals.queue(pid, parsed, value);
            }
            return 0;
        }
    }

    @Command(name = "wait-exit", mixinStandardHelpOptions = true,
            description = "Wait for the process PID to exit (any process, not only a child: its pidfd is polled), "
                    + "then print 'exited'. A PID that no process has (it ended and was reaped already) counts as "
                    + "exited, with a note on stderr, as tail --pid does. Exit code 1 if it is still running at the "
                    + "timeout.")
    static final class WaitExit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PID")
        long pid;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
        Long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            PidFd process;
            try {
                process = PidFd.open(pid);
            } catch (ErrnoException e) {
                if (e.errno() != Errors.ESRCH) {
                    throw e;
                }
                System.err.println("ipc-atlas signal wait-exit: no process has pid " + pid + " (it had exited already)");
                System.out.println("exited");
                return 0;
            }
            try (process) {
                if (!process.awaitExit(timeout)) {
                    throw new IpcTimeoutException("waiting for pid " + pid + " to exit", timeout);
                }
            }
            System.out.println("exited");
            return 0;
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = {"Print 'pid PID waiting for SIGNAME', then 'received SIGNAME' (and 'value N' when it "
                    + "carried one) when the signal arrives.",
                    "A real-time signal is read with signalfd in a JVM started with it blocked: the pid printed is "
                            + "that JVM's."})
    static final class Wait implements Callable<Integer> {
        /** Set in the JVM this command starts with the signal blocked, so it does not start another. */
        static final String RELAUNCHED = "ipc-atlas.signal-wait.blocked";

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SIGNAL")
        String signal;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
        Long timeoutMillis;

        @Override
        public Integer call() throws Exception {
            Signal parsed = Signal.parse(signal);
            Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            if (SignalFd.blockedInEveryThread(parsed)) {
                return readWithSignalFd(parsed, timeout);
            }
            if (parsed.isRealtime() && System.getProperty(RELAUNCHED) == null) {
                return relaunchBlocked(parsed);
            }
            return waitWithHandler(parsed.checkHandleable(), timeout);
        }

        private Integer readWithSignalFd(Signal parsed, Duration timeout) throws IOException {
            PrintStream out = System.out;
            try (SignalFd fd = SignalFd.open(parsed)) {
                announce(out, parsed);
                SignalInfo info = new SignalInfo();
                if (!fd.receive(info, timeout)) {
                    throw new IpcTimeoutException("waiting for " + parsed.fullName(), timeout);
                }
                out.println("received " + parsed.fullName() + (info.hasValue() ? " value " + info.value() : ""));
            }
            return 0;
        }

        private Integer waitWithHandler(Signal parsed, Duration timeout) throws Exception {
            PrintStream out = System.out;
            try (SignalWaiter waiter = SignalWaiter.open(parsed)) {
                announce(out, parsed);
                if (!waiter.await(parsed, timeout)) {
                    throw new IpcTimeoutException("waiting for " + parsed.fullName(), timeout);
                }
                out.println("received " + parsed.fullName());
            }
            return 0;
        }

        /** A JVM that blocks the signal from its first instruction (see SignalFd); we relay what it prints. */
        private Integer relaunchBlocked(Signal parsed) throws IOException {
            List<String> args = new ArrayList<>(List.of("wait", parsed.name()));
            if (timeoutMillis != null) {
                args.add("--timeout");
                args.add(timeoutMillis.toString());
            }
            try (ChildProcess child = ChildJvm.builder(SignalCommand.class).systemProperty(RELAUNCHED, "true")
                    .quickStart().args(args.toArray(String[]::new)).blockSignals(parsed.number()).start()) {
                Duration forever = Duration.ofDays(365);
                String first;
                try {
                    first = child.nextLine(forever);
                } catch (IOException ended) { // it failed before announcing itself: its stderr says why
                    System.err.print(child.stderr());
                    return child.awaitExit(forever);
                }
                System.out.println(first); // at once: the caller needs the pid to send the signal
                System.out.flush();
                for (String line : child.remainingLines(forever)) {
                    System.out.println(line);
                }
                int status = child.awaitExit(forever);
                System.err.print(child.stderr());
                return status;
            }
        }

        private static void announce(PrintStream out, Signal parsed) {
            out.println("pid " + ProcessHandle.current().pid() + " waiting for " + parsed.fullName());
            out.flush();
        }
    }
}
