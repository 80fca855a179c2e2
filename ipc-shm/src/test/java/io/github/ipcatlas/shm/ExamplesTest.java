package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.shm.examples.ShmArrayExample;
import io.github.ipcatlas.shm.examples.ShmValueExample;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    @Test
    void shouldPrintWhatTheSeedsMultiprocessingValueExamplePrints() throws Exception {
        assertThat(run(new ShmValueExample())).isEqualTo("42\n");
    }

    @Test
    void shouldSquareASharedArrayInAChild() throws Exception {
        assertThat(run(new ShmArrayExample())).isEqualTo("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n");
    }

    @Test
    void shouldHandAChildASealedMemfdItTrusts() throws Exception {
        assertThat(run(new io.github.ipcatlas.shm.examples.MemFdExample())).isEqualTo("Hello through sealed memory\n");
    }

    @Test
    void shouldListTheDemos() {
        // demos of the modules this one depends on (ipc-mmap) are on the class path too
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get())
                .filter(demo -> demo.getClass().getPackageName().startsWith("io.github.ipcatlas.shm")).map(Demo::name))
                .containsExactlyInAnyOrder("shm-value", "shm-array", "memfd");
    }

    private static String run(Demo demo) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            demo.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
