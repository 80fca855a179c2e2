package io.github.ipcatlas.sysv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.sysv.examples.SemaphoreUndoExample;
import io.github.ipcatlas.sysv.examples.SysvMessageQueueExample;

@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExamplesTest {

    @Test
    void shouldAnswerByTypeOnOneQueue() throws Exception {
        assertThat(run(new SysvMessageQueueExample())).isEqualTo("Hello from the child process (type 2)\n");
    }

    @Test
    void shouldGiveBackTheLockOfAKilledChild() throws Exception {
        assertThat(run(new SemaphoreUndoExample())).isEqualTo("Child holds the lock; can the parent take it? false\n"
                + "Child killed; the parent takes the lock: true\n");
    }

    @Test
    void shouldListTheExamplesAsDemos() {
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name()))
                .containsExactlyInAnyOrder("sysv-mq", "sysv-sem-undo");
    }

    private static String run(Demo demo) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            demo.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
