package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.mmap.peers.MmapPeers;

/**
 * Writer JVMs appending to the log are killed with SIGKILL at random moments, a hundred times. After every kill a
 * reader sees every committed record intact, in order, and no torn one; each new writer recovers and resumes exactly after the last committed record — a record it got wrong would
 * carry the wrong payload for its index, which the reader checks. One reader follows the log through all kills (each
 * check reads only the new records); a fresh recovery at the end must agree with it.
 */
// a net for a hang only (every step of a campaign has its own deadline): a hundred victim JVMs take ~50 s on an idle
// 2-core machine, ~80 s beside another test suite, and over 120 s beside two
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappedLogCrashTest {
    private static final int KILLS = 100;
    private static final long CAPACITY = 256L << 20;
    /** Records one writer may append: a hundred runs of it stay below what the log holds. */
    private static final long BUDGET_PER_RUN = 5_000;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryCommittedRecordAndNoTornOneAcrossAHundredSigkills() throws Exception {
        Path file = dir.resolve("crash.log");
        long[] committed = {0};
        try (MappedLog follower = MappedLog.open(file, CAPACITY)) {
            MappedLog.Cursor cursor = follower.cursor();
            KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(MmapPeers.class, "log-victim", file.toString(),
                    String.valueOf(CAPACITY), String.valueOf(BUDGET_PER_RUN)), Duration.ofMillis(20),
                    kill -> committed[0] = verifiedUpTo(cursor, committed[0]));
        }
        try (MappedLog recovered = MappedLog.open(file, CAPACITY)) {
            assertThat(verifiedUpTo(recovered.cursor(), 0)).as("every committed record, intact").isEqualTo(committed[0]);
            assertThat(recovered.count()).as("recovery finds exactly the committed records").isEqualTo(committed[0]);
        }
    }

    /**
     * Reads the records after the first {@code index} from {@code cursor}, checking each against what the writer
     * wrote; returns how many there are now. A record that disappeared or changed would fail the check.
     */
    private static long verifiedUpTo(MappedLog.Cursor cursor, long from) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long index = from;
        for (int n; (n = cursor.next(buffer.clear())) >= 0; index++) {
            byte[] expected = LogRecords.payload(index);
            byte[] actual = new byte[n];
            buffer.flip().get(actual);
            if (!Arrays.equals(actual, expected)) {
                throw new AssertionError("record " + index + " is torn or wrong: " + n + " bytes, expected " + expected.length);
            }
        }
        return index;
    }
}
