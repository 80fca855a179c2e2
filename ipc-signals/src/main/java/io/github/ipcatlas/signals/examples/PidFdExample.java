package io.github.ipcatlas.signals.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.signals.PidFd;
import io.github.ipcatlas.signals.Signal;

/**
 * A supervisor that signals by pidfd: it starts a worker ({@code sleep 60}), holds a pidfd of it, asks it to stop
 * with SIGTERM through that pidfd, and waits for it to exit with a deadline. Once the worker is reaped its number is
 * free for the next process the system starts; a {@code kill} by number could now hit that stranger, while the pidfd
 * refuses with {@code ESRCH}.
 */
public final class PidFdExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new PidFdExample().run(System.out);
    }

    @Override
    public String name() {
        return "pidfd";
    }

    @Override
    public String summary() {
        return "a supervisor stops a worker through its pidfd, waits for its exit, and cannot hit a reused pid";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (ChildProcess worker = ChildProcess.builder("sleep", "60").start();
             PidFd process = PidFd.of(ProcessHandle.of(worker.pid()).orElseThrow())) {
            out.println("supervisor: worker " + worker.pid() + " running, exited within 100 ms: "
                    + process.awaitExit(Duration.ofMillis(100)));
            process.send(Signal.TERM);
            out.println("supervisor: sent SIGTERM through the pidfd; exited within 30 s: " + process.awaitExit(DEADLINE));
            out.println("supervisor: worker reaped, exit status " + worker.awaitExit(DEADLINE));
            try {
                process.send(Signal.TERM);
                out.println("supervisor: a second SIGTERM was delivered (this must not happen)");
            } catch (IOException refused) {
                out.println("supervisor: a second SIGTERM is refused: " + refused.getMessage());
            }
        }
    }
}
