package io.github.ipcatlas.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CpuAffinityTest {
    /** The first CPU this process may run on: not always CPU 0 (a container or taskset may leave it out). */
    private static final int FIRST_ALLOWED = firstAllowedCpu();

    private static int firstAllowedCpu() {
        try {
            String list = ProcFs.read(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].strip();
            return Integer.parseInt(list.split("[,-]")[0]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldPinTheCallingThreadOnly() throws Exception {
        // a fresh thread, so the test runner's own threads keep every CPU
        String allowed = CompletableFuture.supplyAsync(() -> {
            try {
                CpuAffinity.pinCurrentThread(FIRST_ALLOWED);
                return ProcFs.read(Path.of("/proc/thread-self/status")).lines()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].strip();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable).start()).get(10, TimeUnit.SECONDS);

        assertThat(allowed).isEqualTo(String.valueOf(FIRST_ALLOWED));
    }

    @Test
    void shouldUnpinAgain() throws Exception {
        String allowed = CompletableFuture.supplyAsync(() -> {
            try {
                CpuAffinity.pinCurrentThread(FIRST_ALLOWED);
                CpuAffinity.unpinCurrentThread();
                return ProcFs.read(Path.of("/proc/thread-self/status")).lines()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].strip();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable).start()).get(10, TimeUnit.SECONDS);

        String process = ProcFs.read(Path.of("/proc/self/status")).lines()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].strip();
        assertThat(allowed).isEqualTo(process);
    }

    @Test
    void shouldRefuseACpuThatDoesNotExist() {
        assertThatThrownBy(() -> CpuAffinity.pinCurrentThread(1000)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("sched_setaffinity(CPU 1000) failed: EINVAL")
                .hasMessageContaining("not available to this process");
        assertThatThrownBy(() -> CpuAffinity.pinCurrentThread(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPU -1 is outside");
    }
}
