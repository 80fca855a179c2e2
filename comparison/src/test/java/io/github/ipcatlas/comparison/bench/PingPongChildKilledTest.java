package io.github.ipcatlas.comparison.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

import io.github.ipcatlas.core.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The C twin ({@code pingpong.c}, which {@code --baseline native} runs) when its child is SIGKILLed mid-run: the parent
 * ends at once with exit 1 and says why, for the waits that no end of file or broken pipe ends, instead of waiting for
 * {@link NativeBaseline}'s deadline of minutes. Real processes and a real SIGKILL; each process with its second,
 * sleeping, thread ({@code threaded}), which must not swallow the SIGCHLD that some of these waits rely on.
 */
class PingPongChildKilledTest {
    /** How long a parent may take to notice: the rings look at their peer every 100 ms at most. */
    private static final Duration NOTICED = Duration.ofSeconds(10);

    private static NativeBaseline baseline;
    private static Path program;

    @BeforeAll
    static void compile() throws IOException {
        baseline = NativeBaseline.compile(true); // as --baseline native-threaded compiles it
        program = baseline.program();
    }

    @AfterAll
    static void remove() {
        baseline.close();
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({
        "mq, 64, latency, the child died",            // blocked in mq_receive
        "mq, 64, throughput, the child died",         // blocked in mq_send on a full queue
        "udp, 64, latency, the child died|the peer ended early", // recv: refused by ICMP, or the socket shut down
        "signal, 0, latency, the child died",         // in sigsuspend
        "signal-rt, 4, latency, the child died",      // in read(signalfd)
        "shm-blocking, 64, latency, the child died",  // asleep on a futex
        "shm-blocking, 64, throughput, the child died",
        "eventfd, 4, latency, the peer ended early",  // blocked in read(eventfd)
        "sysv-mq, 64, latency, msgrcv|msgsnd",        // blocked in msgrcv: the queue removed
    })
    void shouldEndWithExitOneAndSayWhyWhenItsChildIsKilledMidRun(String mechanism, int size, String mode,
                                                                String why) throws IOException {
        try (ChildProcess parent = ChildProcess.builder(program.toString(), mechanism, String.valueOf(size),
                "1000000000", "10", mode, "none", "threaded").start()) {
            long child = await().atMost(NOTICED).until(() -> childOf(parent.pid()), OptionalLong::isPresent)
                    .getAsLong();
            await().atMost(NOTICED).until(() -> threads(child) == 2); // past its set-up: in the exchange
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);

            assertThat(parent.awaitExit(NOTICED)).as(parent.stderr()).isEqualTo(1);
            assertThat(parent.finish(NOTICED).stderr()).containsAnyOf(why.split("\\|"));
        }
    }

    /** The first child of {@code pid}'s main thread, as {@code /proc} lists it. */
    private static OptionalLong childOf(long pid) throws IOException {
        try {
            String children = Files.readString(Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid),
                    "children")).strip();
            return children.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(children.split(" ")[0]));
        } catch (NoSuchFileException gone) {
            return OptionalLong.empty();
        }
    }

    /** The kernel's thread count of {@code pid}, 0 once it is gone. */
    private static int threads(long pid) throws IOException {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("Threads:")).mapToInt(line -> Integer.parseInt(line.substring(8)
                            .strip())).findFirst().orElse(0);
        } catch (NoSuchFileException gone) {
            return 0;
        }
    }
}
