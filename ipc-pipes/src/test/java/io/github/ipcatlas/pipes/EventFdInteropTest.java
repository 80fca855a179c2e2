package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;

/** An eventfd shared with python3 ({@code os.eventfd_read}, {@code os.eventfd_write}), inherited as descriptor 3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventFdInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void shouldTakeWhatPythonAddsAndLetPythonTakeWhatJavaAdds() throws Exception {
        String script = "import os, select\n"
                + "os.eventfd_write(3, 5)\n"
                + "os.eventfd_write(3, 6)\n"
                + "print('added', flush=True)\n"
                + "select.select([4], [], [], 20)\n" // descriptor 4 is non-blocking: wait for Java's add
                + "print('took', os.eventfd_read(4), flush=True)\n";
        try (EventFd fromPython = EventFd.create(0, EventFd.Mode.COUNTER);
             EventFd toPython = EventFd.create(0, EventFd.Mode.COUNTER);
             ChildProcess python = ChildProcess.builder("python3", "-c", script)
                     .inheritFd(fromPython.channel(), 3).inheritFd(toPython.channel(), 4).start()) {
            python.awaitLine("added", DEADLINE);
            assertThat(fromPython.take(DEADLINE)).as("python's two writes, merged").isEqualTo(11);
            toPython.add(1234567890123L);
            assertThat(python.nextLine(DEADLINE)).isEqualTo("took 1234567890123");
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldTakeOneAtATimeFromASemaphoreThatPythonFills() throws Exception {
        try (EventFd semaphore = EventFd.create(0, EventFd.Mode.SEMAPHORE);
             ChildProcess python = ChildProcess.builder("python3", "-c", "import os; os.eventfd_write(3, 3)")
                     .inheritFd(semaphore.channel(), 3).start()) {
            assertThat(python.awaitExit(DEADLINE)).isZero();
            assertThat(semaphore.take(DEADLINE) + semaphore.take(DEADLINE) + semaphore.take(DEADLINE)).isEqualTo(3);
            assertThat(semaphore.take(Duration.ZERO)).isZero();
        }
    }
}
