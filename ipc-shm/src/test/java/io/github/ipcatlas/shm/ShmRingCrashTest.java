package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.KillCampaign;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.peers.RingPeers;

/**
 * Producers, then consumers, are killed with SIGKILL at random moments, a hundred of each, while the other side goes
 * on in this process. Each new process attaches to the ring as it was left and the stream continues: nothing torn,
 * nothing committed lost, nothing committed delivered twice.
 */
// a net for a hang only (every step of a campaign has its own deadline): a hundred victim JVMs take ~50 s on an idle
// 2-core machine, ~80 s beside another test suite, and over 120 s beside two
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShmRingCrashTest {
    private static final int KILLS = 100;
    private static final long CAPACITY = 1 << 16;
    private final String name = IpcNames.unique("t-ring-kill");

    @TempDir
    Path dir;

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldKeepTheStreamWholeAcrossAHundredProducerKills() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(CAPACITY))) {
            MappedFile memory = segment.memory();
            ShmRing.initialize(memory, CAPACITY);
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.YIELD);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            long[] state = {-1, 0}; // the victim whose records come now, the index expected next
            RecordHandler check = (map, offset, length) -> {
                long victim = map.getLong(offset);
                long index = map.getLong(offset + 8);
                for (int i = 16; i < length; i += 8) {
                    if (map.getLong(offset + i) != victim * 31 + index * 7 + i) {
                        throw new AssertionError("torn record " + index + " of victim " + victim + " at byte " + i);
                    }
                }
                if (length != RingPeers.VICTIM_RECORD) {
                    throw new AssertionError("a " + length + "-byte record");
                }
                if (victim != state[0]) {
                    if (victim < state[0] || index != 0) {
                        throw new AssertionError("victim " + victim + " record " + index + " after victim " + state[0]);
                    }
                    state[0] = victim;
                } else if (index != state[1]) {
                    throw new AssertionError("victim " + victim + ": record " + index + " where " + state[1] + " was due");
                }
                state[1] = index + 1;
            };
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (consumer.read(check, 256) == 0) {
                            consumer.await(Duration.ofMillis(10));
                        }
                    }
                    while (consumer.read(check, 256) > 0) {
                        // drain what the last victim committed
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            try {
                KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(RingPeers.class, "producer-victim", name,
                        String.valueOf(victim)), Duration.ofMillis(20), kill -> assertThat(failure.get()).isNull());
            } finally {
                stop.set(true);
                reader.join(30_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(consumer.await(Duration.ZERO)).as("everything committed was read").isFalse();
        }
    }

    @Test
    void shouldNeverDeliverACommittedRecordTwiceAcrossAHundredConsumerKills() throws Exception {
        long extra = RingLayout.segmentBytes(CAPACITY);
        try (SharedMemory segment = SharedMemory.create(name, extra + 128)) {
            MappedFile memory = segment.memory();
            ShmRing.initialize(memory, CAPACITY);
            RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.YIELD);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                ByteBuffer message = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
                try {
                    for (long sequence = 1; !stop.get(); ) {
                        message.clear().putLong(0, sequence).limit(8 + (int) (sequence % 7) * 8);
                        if (producer.send(message, Duration.ofMillis(50))) {
                            sent.set(sequence++);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            try {
                KillCampaign.run(dir, KILLS, victim -> KillCampaign.victim(RingPeers.class, "consumer-victim", name),
                        Duration.ofMillis(20), kill -> assertThat(failure.get()).isNull());
            } finally {
                stop.set(true);
                writer.join(30_000);
            }
            assertThat(failure.get()).isNull();

            // a last consumer, here: it starts where the last victim committed, and reads every record after it
            long committed = memory.getLongAcquire(extra + RingPeers.COMMITTED);
            long delivered = memory.getLongAcquire(extra + RingPeers.DELIVERED);
            RingConsumer last = ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN);
            long[] next = {-1};
            while (last.read((map, offset, length) -> {
                long sequence = map.getLong(offset);
                if (next[0] < 0) {
                    assertThat(sequence).as("first after the kills").isBetween(committed + 1, delivered + 1);
                } else {
                    assertThat(sequence).isEqualTo(next[0]);
                }
                next[0] = sequence + 1;
            }, 1024) > 0) {
                // until the ring is empty
            }
            assertThat(next[0] < 0 ? delivered : next[0] - 1).as("every record sent was read").isEqualTo(sent.get());
        }
    }
}
