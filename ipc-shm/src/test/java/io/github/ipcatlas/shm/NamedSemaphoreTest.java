package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.peers.ShmPeers;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NamedSemaphoreTest {
    private final List<String> names = new ArrayList<>();

    @AfterEach
    void unlink() throws IOException {
        for (String name : names) {
            NamedSemaphore.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCountAcquiresAndReleasesWithMode0600() throws IOException {
        String name = name();
        try (NamedSemaphore semaphore = NamedSemaphore.create(name, 2)) {
            var file = SharedMemory.DEV_SHM.resolve("sem." + name.substring(1));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(semaphore.value()).isEqualTo(2);
            assertThat(semaphore.tryAcquire()).isTrue();
            semaphore.acquire();
            assertThat(semaphore.tryAcquire()).as("zero: would block").isFalse();
            assertThat(semaphore.tryAcquire(Duration.ofMillis(30))).as("stays zero until the deadline").isFalse();
            semaphore.release();
            assertThat(semaphore.value()).isEqualTo(1);
        }
    }

    @Test
    void shouldWakeATimedWaiterWhenReleased() throws Exception {
        try (NamedSemaphore semaphore = NamedSemaphore.create(name(), 0)) {
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return semaphore.tryAcquire(Duration.ofSeconds(30));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            semaphore.release();
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldHandOffAThousandTimesWithAnotherJvmLosingNoWakeUp() throws IOException {
        String request = name();
        String reply = name();
        int rounds = 1000;
        try (NamedSemaphore out = NamedSemaphore.create(request, 0); NamedSemaphore in = NamedSemaphore.create(reply, 0);
             ChildProcess peer = ChildJvm.builder(ShmPeers.class).args("sem-echo", request, reply,
                     String.valueOf(rounds)).quickStart().start()) {
            peer.awaitLine("ready", Duration.ofSeconds(30));
            for (int i = 0; i < rounds; i++) {
                out.release();
                assertThat(in.tryAcquire(Duration.ofSeconds(30))).as("reply %d", i).isTrue();
            }
            assertThat(peer.awaitExit(Duration.ofSeconds(30))).as(peer.stderr()).isZero();
            assertThat(in.value()).isZero();
        }
    }

    @Test
    void shouldMapExistingAndMissingSemaphoresAndRefuseBadInput() throws IOException {
        String name = name();
        try (NamedSemaphore semaphore = NamedSemaphore.create(name, 0)) {
            assertThatThrownBy(() -> NamedSemaphore.create(name, 0)).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessage("sem_open(" + name + ") failed: EEXIST (File exists)");
            try (NamedSemaphore same = NamedSemaphore.open(name)) {
                same.release();
                assertThat(semaphore.value()).isEqualTo(1);
            }
        }
        String missing = name();
        assertThatThrownBy(() -> NamedSemaphore.open(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("sem_open(" + missing + ") failed: ENOENT");
        assertThatThrownBy(() -> NamedSemaphore.create("nameless", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> NamedSemaphore.create(missing, -1)).hasMessageContaining("initial value -1");
        assertThat(NamedSemaphore.unlinkIfExists(name)).isTrue();
        assertThatThrownBy(() -> NamedSemaphore.unlink(name)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldRefuseUseAfterCloseAndCloseOnlyOnce() throws IOException {
        NamedSemaphore semaphore = NamedSemaphore.create(name(), 1);
        semaphore.close();
        semaphore.close();

        assertThatThrownBy(semaphore::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> semaphore.tryAcquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    private String name() {
        String name = IpcNames.unique("t-sem");
        names.add(name);
        return name;
    }
}
