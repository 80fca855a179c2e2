package io.github.ipcatlas.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.signals.peers.HandlerPeer;

/** pidfds across the language boundary: python3's os.pidfd_open and signal.pidfd_send_signal, both ways. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child cannot hang the suite
class PidFdInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldReachAJavaHandlerFromPythonsPidfd() throws Exception {
        try (ChildProcess java = ChildJvm.builder(HandlerPeer.class).args("1", "WINCH").quickStart().start()) {
            java.awaitLine("ready", DEADLINE);
            String script = "import os, signal, sys\n"
                    + "fd = os.pidfd_open(int(sys.argv[1]))\n"
                    + "signal.pidfd_send_signal(fd, signal.SIGWINCH)\n"
                    + "os.close(fd)\n";
            try (ChildProcess python = ChildProcess.builder("python3", "-c", script, String.valueOf(java.pid())).start()) {
                ChildProcess.Outcome sent = python.finish(DEADLINE);
                assertThat(sent.exitCode()).as(sent.stderr()).isZero();
            }
            assertThat(java.nextLine(DEADLINE)).isEqualTo("got SIGWINCH");
            assertThat(java.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldSignalAPythonHandlerThroughOurPidfdAndSeeItExit() throws Exception {
        // os.write, not print: a handler that prints while the main thread is inside print fails ("reentrant call");
        // short sleeps: CPython runs handlers between bytecodes, and one long sleep entered just after the signal
        // landed would be waited out in full first
        String script = "import os, signal, time\n"
                + "def handler(number, frame):\n"
                + "    os.write(1, b'python got ' + signal.Signals(number).name.encode() + b'\\n')\n"
                + "    os._exit(3)\n"
                + "signal.signal(signal.SIGUSR1, handler)\n"
                + "os.write(1, b'ready\\n')\n"
                + "for _ in range(600):\n"
                + "    time.sleep(0.1)\n";
        try (ChildProcess python = ChildProcess.builder("python3", "-c", script).start();
             PidFd process = PidFd.open(python.pid())) {
            python.awaitLine("ready", DEADLINE);
            assertThat(process.hasExited()).isFalse();
            process.send(Signal.USR1);
            assertThat(python.nextLine(DEADLINE)).isEqualTo("python got SIGUSR1");
            assertThat(process.awaitExit(DEADLINE)).isTrue();
            assertThat(python.awaitExit(DEADLINE)).isEqualTo(3);
        }
    }
}
