package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.mqueue.examples.MqueueExample;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    @Test
    void shouldPrintWhatTheSeedsMultiprocessingQueueExamplePrints() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new MqueueExample().run(out);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Hello from the child process\n");
    }

    @Test
    void shouldListTheExampleAsADemo() {
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name())).containsExactly("mqueue");
    }
}
