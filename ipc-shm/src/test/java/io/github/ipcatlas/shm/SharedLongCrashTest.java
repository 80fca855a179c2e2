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
 * JVMs taking tickets from a shared atomic counter ({@code getAndAdd}) are killed with SIGKILL at random moments, a
 * hundred times. An atomic add is one instruction: a process killed around it has added or has not, never half. So
 * the counter always holds at least every ticket the victims recorded as taken (a recorded ticket was never lost),
 * and at most one more per kill (the one a victim took and was killed before recording).
 */
// a net for a hang only (every step of a campaign has its own deadline): a hundred victim JVMs take ~50 s on an idle
// 2-core machine, ~80 s beside another test suite, and over 120 s beside two
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedLongCrashTest {
    private static final int KILLS = 100;
    private final String name = IpcNames.unique("t-tickets");

    @TempDir
    Path dir;

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldLoseNoTicketAndInventNoneAcrossAHundredKills() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, ShmPeers.TICKET_SLOTS + 8L * KILLS)) {
            MappedFile memory = segment.memory();
            SharedLong counter = new SharedLong(memory, 0);
            KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(ShmPeers.class, "ticket-victim", name,
                    String.valueOf(victim)), Duration.ofMillis(20), kill -> {
                long recorded = recordedTickets(memory, kill);
                long taken = counter.get();
                assertThat(taken).as("kill %d: every recorded ticket is counted", kill).isGreaterThanOrEqualTo(recorded);
                assertThat(taken).as("kill %d: at most one unrecorded ticket per kill", kill)
                        .isLessThanOrEqualTo(recorded + kill + 1);
            });
        }
    }

    private static long recordedTickets(MappedFile memory, int lastVictim) {
        long sum = 0;
        for (int victim = 0; victim <= lastVictim; victim++) {
            sum += memory.getLongAcquire(ShmPeers.TICKET_SLOTS + 8L * victim);
        }
        return sum;
    }
}
