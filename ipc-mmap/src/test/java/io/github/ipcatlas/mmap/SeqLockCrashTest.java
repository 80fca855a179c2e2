package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.mmap.peers.MmapPeers;

/**
 * Writer JVMs are killed with SIGKILL at random moments, a hundred times; after every kill this process reads the
 * record at once — no wait for a dead writer — and finds a whole committed value, never a torn one, never an older
 * one than it saw before. Each new writer takes over where the dead one stopped.
 */
// a net for a hang only (every step of a campaign has its own deadline): a hundred victim JVMs take ~50 s on an idle
// 2-core machine, ~80 s beside another test suite, and over 120 s beside two
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeqLockCrashTest {
    private static final int KILLS = 100;
    private static final int CAPACITY = 200;
    private static final Duration READ_DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void shouldAlwaysReadAWholeCommittedValueAfterEachOfAHundredWriterKills() throws Exception {
        Path file = dir.resolve("record");
        try (MappedFile map = MappedFile.create(file, SeqLockRecord.footprint(CAPACITY), Growth.PREALLOCATE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, CAPACITY);
            record.write(SeqLockValues.fill(ByteBuffer.allocate(CAPACITY), 1, CAPACITY).flip());
            ByteBuffer into = ByteBuffer.allocate(CAPACITY);
            long[] last = {1};
            KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(MmapPeers.class, "seqlock-victim", file.toString(),
                    String.valueOf(CAPACITY)), Duration.ofMillis(20), kill -> {
                int length = record.read(into.clear(), READ_DEADLINE);
                long version = SeqLockValues.check(into, length, CAPACITY);
                assertThat(version).as("kill %d: never older than what was read before", kill).isGreaterThanOrEqualTo(last[0]);
                assertThat(record.version()).as("kill %d: the value read is a committed one", kill).isGreaterThanOrEqualTo(version);
                if (kill == KILLS - 1) {
                    assertThat(version).as("with every writer dead, the value read is the last commit").isEqualTo(record.version());
                }
                last[0] = version;
            });
        }
    }
}
