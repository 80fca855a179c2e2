package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.mmap.examples.MmapExample;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    @Test
    void shouldShowAWriteThroughAnotherProcesssMapping() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new MmapExample().run(out);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Hello through a shared mapping\n");
    }

    @Test
    void shouldListTheExampleAsADemo() {
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name())).containsExactly("mmap");
    }
}
