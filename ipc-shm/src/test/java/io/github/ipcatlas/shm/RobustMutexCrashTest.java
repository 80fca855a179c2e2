package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.KillCampaign;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.peers.ShmPeers;

/**
 * JVMs that update a pair of longs under the robust mutex, one field at a time, are killed with SIGKILL at random
 * moments — inside the critical section or outside it — a hundred times. After every kill this process gets the lock
 * within its deadline (never a hang), repairs the pair when the owner died inside, and finds it consistent and never
 * going backwards.
 */
// a net for a hang only (every step of a campaign has its own deadline): a hundred victim JVMs take ~50 s on an idle
// 2-core machine, ~80 s beside another test suite, and over 120 s beside two
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RobustMutexCrashTest {
    private static final int KILLS = 100;
    private final String name = IpcNames.unique("t-mutex-kill");

    @TempDir
    Path dir;

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldHandTheLockOnAndKeepThePairRepairableAcrossAHundredKills() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            MappedFile memory = segment.memory();
            RobustMutex mutex = RobustMutex.initialize(memory, 0);
            long[] last = {0};
            KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(ShmPeers.class, "mutex-victim", name),
                    Duration.ofMillis(20), kill -> {
                LockResult result = mutex.tryLock(Duration.ofSeconds(10));
                assertThat(result.held()).as("kill %d: the lock comes free", kill).isTrue();
                try {
                    long first = memory.getLong(ShmPeers.PAIR_FIRST);
                    long second = memory.getLong(ShmPeers.PAIR_SECOND);
                    if (result == LockResult.OWNER_DIED) {
                        assertThat(first - second).as("kill %d: a dead owner left at most one store undone", kill)
                                .isBetween(0L, 1L);
                        memory.putLong(ShmPeers.PAIR_SECOND, first);
                        mutex.markConsistent();
                    } else {
                        assertThat(second).as("kill %d: unlocked means consistent", kill).isEqualTo(first);
                    }
                    assertThat(first).as("kill %d: never backwards", kill).isGreaterThanOrEqualTo(last[0]);
                    last[0] = first;
                } finally {
                    mutex.unlock();
                }
            });
        }
    }
}
