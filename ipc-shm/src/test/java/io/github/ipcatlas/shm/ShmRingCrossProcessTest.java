package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.peers.RingPeers;

/** The ring between two JVMs: ten million records in place, every strategy, futex wake-ups, a producer's death. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShmRingCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final String name = IpcNames.unique("t-ring-x");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    private SharedMemory ring(long capacity) throws IOException {
        SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(capacity));
        ShmRing.initialize(segment.memory(), capacity);
        return segment;
    }

    private ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(RingPeers.class).args(args).quickStart().start();
    }

    @Test
    void shouldCarryTenMillionRecordsWrittenAndReadInPlaceInOrder() throws IOException {
        long count = 10_000_000;
        try (SharedMemory segment = ring(1 << 20);
             ChildProcess producer = ChildJvm.builder(RingPeers.class).args("stream", name, String.valueOf(count)).start()) {
            RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.YIELD);
            producer.awaitLine("ready", DEADLINE);
            long[] next = {0};
            RecordHandler check = (memory, offset, length) -> {
                long index = memory.getLong(offset);
                if (length != 16 || index != next[0] || memory.getLong(offset + 8) != ~index) {
                    throw new AssertionError("record " + next[0] + " is wrong: index " + index + ", " + length + " bytes");
                }
                next[0]++;
            };
            while (next[0] < count) {
                if (consumer.read(check, 1024) == 0 && !consumer.await(DEADLINE)) {
                    throw new AssertionError("no record after " + next[0] + " within " + DEADLINE);
                }
            }
            assertThat(consumer.await(Duration.ofMillis(20))).as("nothing extra").isFalse();
            assertThat(producer.awaitExit(DEADLINE)).as(producer.stderr()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ShmRing.WaitStrategy.class)
    void shouldCarryEveryMessageFromAnotherJvmNoneLostDuplicatedOrTorn(ShmRing.WaitStrategy strategy) throws IOException {
        int count = 200_000;
        try (SharedMemory segment = ring(1 << 16);
             ChildProcess producer = peer("produce", name, String.valueOf(count), strategy.name())) {
            RingConsumer consumer = ShmRing.consumer(segment.memory(), strategy);
            producer.awaitLine("ready", DEADLINE);
            ByteBuffer received = ByteBuffer.allocateDirect(512);
            for (int i = 0; i < count; i++) {
                int length = consumer.receive(received.clear(), DEADLINE);
                assertThat(length).as("message %d arrived", i).isPositive();
                if (!RingMessages.matches(received.flip(), i)) {
                    throw new AssertionError("message " + i + " is wrong: " + length + " bytes");
                }
            }
            assertThat(consumer.receive(received.clear(), Duration.ofMillis(20))).as("nothing extra").isEqualTo(-1);
            assertThat(producer.awaitExit(DEADLINE)).as(producer.stderr()).isZero();
        }
    }

    @Test
    void shouldWakeAConsumerAsleepInTheFutexFromAnotherProcess() throws IOException {
        try (SharedMemory segment = ring(4096); ChildProcess producer = peer("wake", name)) {
            MappedFile memory = segment.memory();
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            producer.awaitLine("ready", DEADLINE);
            ByteBuffer received = ByteBuffer.allocate(64);
            assertThat(consumer.receive(received, DEADLINE)).isEqualTo(1);
            assertThat(RingMessages.matches(received.flip(), 0)).isTrue();
            assertThat(memory.getIntVolatile(RingLayout.DATA_SIGNAL)).as("the producer woke the sleeper").isEqualTo(1);
            assertThat(producer.awaitExit(DEADLINE)).as(producer.stderr()).isZero();
        }
    }

    @Test
    void shouldGiveASleepingConsumerItsDeadlineBackWhenTheProducerIsKilled() throws Exception {
        try (SharedMemory segment = ring(4096); ChildProcess producer = peer("attach-and-hang", name)) {
            MappedFile memory = segment.memory();
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            producer.awaitLine("ready", DEADLINE);
            CompletableFuture<Integer> sleeper = RingMessages.receiveInThread(consumer, 64, Duration.ofSeconds(2));
            org.awaitility.Awaitility.await().atMost(DEADLINE)
                    .until(() -> memory.getIntVolatile(RingLayout.CONSUMER_SLEEPING) == 1);
            producer.kill(9);
            assertThat(producer.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            assertThat(sleeper.get(30, TimeUnit.SECONDS)).as("nothing came: -1 at the deadline, no hang").isEqualTo(-1);
        }
    }
}
