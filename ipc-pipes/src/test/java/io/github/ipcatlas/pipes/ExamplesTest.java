package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.pipes.examples.ChildStdioExample;
import io.github.ipcatlas.pipes.examples.EventFdExample;
import io.github.ipcatlas.pipes.examples.FifoExample;
import io.github.ipcatlas.pipes.examples.ParentChildPipeExample;
import io.github.ipcatlas.pipes.examples.PipeExample;

/** Every example prints what its Python original (or its description) says it prints. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    @Test
    void shouldPrintWhatTheSeedsOsPipeExamplePrints() throws Exception {
        assertThat(run(new PipeExample())).isEqualTo("Hello from the parent process\n");
    }

    @Test
    void shouldHaveTheChildPrintWhatTheParentSentThroughFd3() throws Exception {
        assertThat(run(new ParentChildPipeExample())).isEqualTo("child received: Hello from the parent process\n");
    }

    @Test
    void shouldCarryAGreetingBetweenTwoProcessesThroughAFifo() throws Exception {
        assertThat(run(new FifoExample())).isEqualTo("Hello from the writer process\n");
    }

    @Test
    void shouldTalkToAChildThroughItsStandardStreams() throws Exception {
        assertThat(run(new ChildStdioExample())).isEqualTo("child read from stdin: Hello from the parent process\n");
    }

    @Test
    void shouldWakeAChildWaitingOnAnEventfdAsTheSeedsEventWakesAThread() throws Exception {
        assertThat(run(new EventFdExample())).isEqualTo("Worker waiting for event\nWorker received event\n");
    }

    @Test
    void shouldListEveryExampleAsADemo() {
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name()))
                .containsExactlyInAnyOrder("pipe", "pipe-child", "fifo", "pipe-stdio", "eventfd");
    }

    private static String run(Demo demo) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            demo.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
