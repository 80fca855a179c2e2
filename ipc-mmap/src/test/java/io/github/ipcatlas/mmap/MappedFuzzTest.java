package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcTimeoutException;

/**
 * A hostile peer (python3) writes random bytes, and values chosen to hurt, all over a mapped log and a seqlock
 * record while we read them. Every read must end within its deadline with a record, nothing, or a timeout — never an
 * access outside the file, a hang, or a JVM crash.
 */
class MappedFuzzTest {
    private static final int OPERATIONS = 5000;
    private static final Duration LIVENESS = Duration.ofSeconds(120);

    /**
     * Corrupts the file at argv[1] from offset argv[3] on, one write every argv[4] seconds, until killed, seeded by
     * argv[2]: slow enough that records survive between writes and readers get past the header checks.
     */
    private static final String CORRUPTER = String.join("\n",
            "import mmap, random, struct, sys, time",
            "f = open(sys.argv[1], 'r+b'); m = mmap.mmap(f.fileno(), 0); n = len(m)",
            "rng = random.Random(int(sys.argv[2])); start = int(sys.argv[3]); pause = float(sys.argv[4])",
            "ints = [0, -1, 1, 7, 8, 64, 4096, 2**31 - 1, -2**31, 0x434D4954]",
            "longs = [0, -1, 1, 2**63 - 1, -2**63, 4096, 2**40]",
            "print('corrupting', flush=True)",
            "while True:",
            "    time.sleep(pause)",
            "    kind = rng.randrange(3); at = (start + rng.randrange(n - 8 - start)) & ~3",
            "    if kind == 0: m[at:at + 4] = struct.pack('<i', rng.choice(ints))",
            "    elif kind == 1: m[at & ~7:(at & ~7) + 8] = struct.pack('<q', rng.choice(longs))",
            "    else: m[at:at + 8] = bytes(rng.randrange(256) for _ in range(8))");

    @TempDir
    Path dir;

    @Test
    void shouldSurviveAPeerWritingRandomBytesOverALog() throws Exception {
        Path file = dir.resolve("fuzz.log");
        try (MappedLog log = MappedLog.open(file, 16 * 1024)) {
            ByteBuffer record = ByteBuffer.allocateDirect(100);
            while (log.append(record.clear()) >= 0) {
                // fill it: the corrupter then has records, markers and checksums to spoil
            }
        } catch (RuntimeException full) {
            // an append past the capacity says so: the log is full
        }
        try (ChildProcess corrupter = corrupt(file, MappedLog.HEADER_BYTES)) {
            int[] outcomes = CompletableFuture.supplyAsync(() -> {
                int[] counts = new int[2]; // records read, refusals
                ByteBuffer into = ByteBuffer.allocateDirect(16 * 1024);
                for (int i = 0; i < OPERATIONS / 100; i++) {
                    try (MappedLog log = MappedLog.open(file, 16 * 1024)) {
                        MappedLog.Cursor cursor = log.cursor();
                        for (int r = 0; r < 100 && cursor.next(into.clear()) >= 0; r++) {
                            counts[0]++;
                        }
                    } catch (IOException | IllegalArgumentException refused) {
                        counts[1]++;
                    }
                }
                return counts;
            }).get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
            assertThat(corrupter.isAlive()).as("the corrupter ran all along: %s", corrupter.stderr()).isTrue();
            assertThat(outcomes[0]).as("records read between the corruptions").isPositive();
        }
    }

    @Test
    void shouldSurviveAPeerWritingRandomBytesOverASeqLockRecord() throws Exception {
        Path file = dir.resolve("fuzz.record");
        int capacity = 256;
        try (MappedFile map = MappedFile.create(file, SeqLockRecord.footprint(capacity), Growth.PREALLOCATE);
             ChildProcess corrupter = corrupt(file, 0)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, capacity);
            int[] outcomes = CompletableFuture.supplyAsync(() -> {
                int[] counts = new int[2]; // consistent copies, timeouts
                ByteBuffer into = ByteBuffer.allocateDirect(capacity);
                for (int i = 0; i < OPERATIONS; i++) {
                    try {
                        int length = record.read(into.clear(), Duration.ofMillis(1));
                        assertThat(length).isBetween(0, capacity);
                        counts[0]++;
                    } catch (IpcTimeoutException garbage) {
                        counts[1]++;
                    }
                }
                return counts;
            }).get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
            assertThat(corrupter.isAlive()).as("the corrupter ran all along: %s", corrupter.stderr()).isTrue();
            assertThat(outcomes[0] + outcomes[1]).isEqualTo(OPERATIONS);
        }
    }

    private static ChildProcess corrupt(Path file, int from) throws IOException {
        ChildProcess corrupter = ChildProcess.builder("python3", "-c", CORRUPTER, file.toString(), "20261127",
                String.valueOf(from), "0.001").start();
        corrupter.awaitLine("corrupting", Duration.ofSeconds(30));
        return corrupter;
    }
}
