package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

/**
 * A hostile peer (python3) writes random bytes — and values chosen to hurt: zero, -1, the extremes, the capacity —
 * all over a ring's segment, header and positions included, while we attach, receive, read in place and send. Every
 * call must end within its deadline with a record, nothing, or an exception that names the problem; none may touch
 * memory outside the data area, hang, or crash the JVM.
 */
class ShmRingFuzzTest {
    private static final long CAPACITY = 4096;
    private static final int OPERATIONS = 3000;
    private static final Duration WAIT = Duration.ofMillis(5);
    /** What a bounded call may take at most, whatever the memory says: its 5 ms wait and a scheduler's slack. */
    private static final Duration LIVENESS = Duration.ofSeconds(120);

    /**
     * Corrupts the file at argv[1] until killed, seeded by argv[2], one write every 0.2 ms from byte 8 on: the magic
     * stays whole (a ring without it is refused at once, before any other check could be reached).
     */
    private static final String CORRUPTER = String.join("\n",
            "import mmap, random, struct, sys, time",
            "f = open(sys.argv[1], 'r+b'); m = mmap.mmap(f.fileno(), 0); n = len(m)",
            "rng = random.Random(int(sys.argv[2]))",
            "ints = [0, -1, 1, 8, 16, 4088, 4096, 4104, 2**31 - 1, -2**31, -8]",
            "longs = [0, -1, 2**63 - 1, -2**63, 4096, 640, 2**40, 4096 * 3]",
            "print('corrupting', flush=True)",
            "while True:",
            "    time.sleep(0.0002)",
            "    kind = rng.randrange(3); at = (8 + rng.randrange(n - 16)) & ~3",
            "    if kind == 0: m[at:at + 4] = struct.pack('<i', rng.choice(ints))",
            "    elif kind == 1: m[at & ~7:(at & ~7) + 8] = struct.pack('<q', rng.choice(longs))",
            "    else: m[at:at + 8] = bytes(rng.randrange(256) for _ in range(8))");

    private final String name = IpcNames.unique("ring-fuzz");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldSurviveAPeerWritingRandomBytesAllOverTheRing() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY));
             ChildProcess corrupter = ChildProcess.builder("python3", "-c", CORRUPTER,
                     SharedMemory.DEV_SHM.resolve(name.substring(1)).toString(), "20261127").start()) {
            corrupter.awaitLine("corrupting", Duration.ofSeconds(30));
            Outcomes outcomes = CompletableFuture.supplyAsync(() -> fuzz(segment))
                    .get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
            assertThat(corrupter.isAlive()).as("the corrupter ran all along: %s", corrupter.stderr()).isTrue();
            assertThat(outcomes.refused).as("the corruption was seen and named").isPositive();
            assertThat(outcomes.unexpected).as("only IOException or IllegalArgumentException, never %s",
                    outcomes.firstUnexpected).isZero();
        }
    }

    private static final class Outcomes {
        int refused;
        int unexpected;
        Throwable firstUnexpected;
    }

    private static Outcomes fuzz(SharedMemory segment) {
        Outcomes outcomes = new Outcomes();
        ByteBuffer into = ByteBuffer.allocateDirect((int) CAPACITY);
        ByteBuffer message = ByteBuffer.allocateDirect(100);
        for (int i = 0; i < OPERATIONS; i++) {
            try {
                if (i % 50 == 0) {
                    ShmRing.initialize(segment.memory(), CAPACITY); // a fresh ring for the peer to spoil again
                }
                ShmRing.WaitStrategy strategy = ShmRing.WaitStrategy.values()[i % 3];
                switch (i % 4) {
                    case 0 -> ShmRing.consumer(segment.memory(), strategy).receive(into.clear(), WAIT);
                    case 1 -> ShmRing.consumer(segment.memory(), strategy).read((memory, offset, length) -> {
                        assertThat(offset).as("a record inside the data area").isBetween((long) RingLayout.DATA,
                                RingLayout.DATA + CAPACITY - length);
                        memory.getByte(offset + length - 1);
                    }, 10);
                    case 2 -> ShmRing.producer(segment.memory(), strategy).send(message.clear(), WAIT);
                    default -> ShmRing.consumer(segment.memory(), strategy).await(WAIT);
                }
            } catch (IOException | IllegalArgumentException refused) {
                outcomes.refused++;
            } catch (RuntimeException | Error other) {
                if (outcomes.unexpected++ == 0) {
                    outcomes.firstUnexpected = other;
                }
            }
        }
        return outcomes;
    }
}
