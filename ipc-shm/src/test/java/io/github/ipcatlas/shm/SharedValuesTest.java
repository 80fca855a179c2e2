package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.peers.ShmPeers;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SharedValuesTest {
    private final String name = IpcNames.unique("t-shm-values");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldOfferTheAtomicOperationsOfALong() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 64)) {
            SharedLong value = new SharedLong(segment.memory(), 8);
            value.set(40);
            assertThat(value.addAndGet(2)).isEqualTo(42);
            assertThat(value.getAndAdd(1)).isEqualTo(42);
            assertThat(value.compareAndSet(43, 7)).isTrue();
            assertThat(value.compareAndSet(43, 8)).isFalse();
            assertThat(value.updateAndGet(v -> v * 6)).isEqualTo(42);
            value.setRelease(5);
            assertThat(value.getAcquire()).isEqualTo(5);
            assertThat(value).hasToString("5");
            assertThatThrownBy(() -> new SharedLong(segment.memory(), 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not 8-byte aligned");
            assertThatThrownBy(() -> new SharedLong(segment.memory(), 64)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void shouldOfferTheAtomicOperationsOfAnInt() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 64)) {
            SharedInt value = new SharedInt(segment.memory(), 4);
            value.set(40);
            assertThat(value.getAndAdd(2)).isEqualTo(40);
            assertThat(value.compareAndSet(42, 7)).isTrue();
            assertThat(value.updateAndGet(v -> v * 6)).isEqualTo(42);
            value.setRelease(5);
            assertThat(value.getAcquire()).isEqualTo(5);
            assertThatThrownBy(() -> new SharedInt(segment.memory(), 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not 4-byte aligned");
        }
    }

    @Test
    void shouldKeepDoublesAndArrays() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 8 + SharedLongArray.footprint(4))) {
            SharedDouble price = new SharedDouble(segment.memory(), 0);
            price.set(1.5);
            assertThat(price.addAndGet(0.25)).isEqualTo(1.75);
            assertThat(price.updateAndGet(p -> p * 2)).isEqualTo(3.5);

            SharedLongArray array = new SharedLongArray(segment.memory(), 8, 4);
            array.set(3, 9);
            assertThat(array.getAndAdd(3, 1)).isEqualTo(9);
            assertThat(array.compareAndSet(0, 0, 5)).isTrue();
            assertThat(array.toArray()).containsExactly(5, 0, 0, 10);
            assertThatThrownBy(() -> array.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> new SharedLongArray(segment.memory(), 8, 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("an array of 5 longs at offset 8");
        }
    }

    @Test
    void shouldCountEveryAtomicAddOfSeveralJvms() throws IOException {
        int processes = 3;
        int each = 200_000;
        try (SharedMemory segment = SharedMemory.create(name, 64)) {
            SharedLong counter = new SharedLong(segment.memory(), 0);
            List<ChildProcess> adders = new ArrayList<>();
            try {
                for (int p = 0; p < processes; p++) {
                    adders.add(ChildJvm.builder(ShmPeers.class).args("add", name, String.valueOf(each)).quickStart().start());
                }
                for (int i = 0; i < each; i++) {
                    counter.getAndAdd(1); // this JVM adds too, at the same time
                }
                for (ChildProcess adder : adders) {
                    assertThat(adder.awaitExit(Duration.ofSeconds(60))).as(adder.stderr()).isZero();
                }
            } finally {
                adders.forEach(ChildProcess::close);
            }
            assertThat(counter.get()).isEqualTo((long) (processes + 1) * each);
        }
    }
}
