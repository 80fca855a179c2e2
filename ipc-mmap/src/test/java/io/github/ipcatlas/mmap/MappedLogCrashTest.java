package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.mmap.peers.MmapPeers;

/**
 * A writer JVM appending to the log is killed with SIGKILL at random moments, again and again. After every kill a
 * reader sees every committed record intact and no torn one, and the next writer resumes where the last committed
 * record ends. (The random kill moment varies where the writer is — usually mid-append, sometimes after its budget,
 * idle; it decides nothing about the verdict.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MappedLogCrashTest {
    private static final long CAPACITY = 64L << 20;
    /** Records one writer run may append: 8 runs of it stay far below what the log holds (about 370,000). */
    private static final long BUDGET_PER_RUN = 20_000;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryCommittedRecordAndNoTornOneAcrossRepeatedSigkills() throws IOException {
        Path file = dir.resolve("crash.log");
        long committed = 0;
        for (int round = 0; round < 8; round++) {
            try (ChildProcess writer = ChildJvm.builder(MmapPeers.class).args("log-writer", file.toString(),
                    String.valueOf(CAPACITY), String.valueOf(BUDGET_PER_RUN)).quickStart().start()) {
                String resumed = writer.nextLine(DEADLINE);
                assertThat(resumed).as("round %d: the writer recovers exactly the committed records", round)
                        .isEqualTo("resumed " + committed);
                long before = committed;
                try (MappedLog reader = MappedLog.open(file, CAPACITY)) {
                    // one cursor, advanced as records appear: each poll costs only the new records
                    MappedLog.Cursor cursor = reader.cursor();
                    ByteBuffer buffer = ByteBuffer.allocate(4096);
                    long[] seen = {0};
                    await().atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                        while (cursor.next(buffer.clear()) >= 0) {
                            seen[0]++;
                        }
                        return seen[0] > before + 100;
                    });
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(0, 3000)));
                writer.kill(9);
                assertThat(writer.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            }
            try (MappedLog reader = MappedLog.open(file, CAPACITY)) {
                long now = verifiedCount(reader);
                assertThat(now).as("round %d: committed records never disappear", round).isGreaterThan(committed);
                assertThat(reader.count()).isEqualTo(now);
                committed = now;
            }
        }
    }

    /** Reads every committed record, checking each against what the writer wrote; returns how many there are. */
    private static long verifiedCount(MappedLog log) {
        MappedLog.Cursor cursor = log.cursor();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long index = 0;
        for (int n; (n = cursor.next(buffer.clear())) >= 0; index++) {
            byte[] expected = LogRecords.payload(index);
            byte[] actual = new byte[n];
            buffer.flip().get(actual);
            if (!java.util.Arrays.equals(actual, expected)) {
                throw new AssertionError("record " + index + " is torn or wrong: " + n + " bytes, expected "
                        + expected.length);
            }
        }
        return index;
    }
}
