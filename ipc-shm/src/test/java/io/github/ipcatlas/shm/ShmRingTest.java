package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.peers.ShmPeers;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmRingTest {
    private final String name = IpcNames.unique("t-ring");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldCarryRecordsAcrossTheWrapAroundInOrder() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(2048))) {
            ShmRing ring = ShmRing.initialize(segment.memory(), 2048, ShmRing.WaitStrategy.SPIN);
            assertThat(ring.maxMessageBytes()).isEqualTo(504);
            ByteBuffer message = ByteBuffer.allocate(512);
            ByteBuffer received = ByteBuffer.allocate(512);
            for (int i = 0; i < 1000; i++) { // up to 300-byte records through a 2 KiB ring: it wraps many times
                RingMessages.fill(message.clear(), i);
                ring.send(message.flip());
                ring.send(message.flip().position(0)); // two in flight, so records meet the end of the ring
                for (int copy = 0; copy < 2; copy++) {
                    assertThat(ring.receive(received.clear())).isEqualTo(1 + i % 300);
                    assertThat(RingMessages.matches(received.flip(), i)).as("message %d", i).isTrue();
                }
            }
            assertThatThrownBy(() -> ring.send(ByteBuffer.allocate(505))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the ring's limit of 504");
        }
    }

    @Test
    void shouldSayWouldBlockAtTheDeadlineOnEmptyAndFullRings() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(256))) {
            ShmRing ring = ShmRing.initialize(segment.memory(), 256, ShmRing.WaitStrategy.BLOCK);
            assertThat(ring.receive(ByteBuffer.allocate(64), Duration.ofMillis(30))).isEqualTo(-1);
            int sent = 0;
            while (ring.send(ByteBuffer.allocate(56), Duration.ofMillis(30))) {
                sent++;
            }
            assertThat(sent).as("256 bytes hold four 64-byte records").isEqualTo(4);
            assertThat(ring.receive(ByteBuffer.allocate(64), Duration.ofSeconds(5))).isEqualTo(56);
            assertThat(ring.send(ByteBuffer.allocate(56), Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldDetectAStaleOrTornRecord() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(256))) {
            ShmRing ring = ShmRing.initialize(segment.memory(), 256, ShmRing.WaitStrategy.SPIN);
            ring.send(ByteBuffer.allocate(8));
            segment.memory().putInt(RingLayout.DATA + RingLayout.RECORD_SEQUENCE, 7); // as if left from another lap

            assertThatThrownBy(() -> ring.receive(ByteBuffer.allocate(64))).isInstanceOf(IOException.class)
                    .hasMessageContaining("stale or torn: sequence 7, expected 0");
        }
    }

    @Test
    void shouldRefuseBadRings() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(256))) {
            assertThatThrownBy(() -> ShmRing.initialize(segment.memory(), 100, ShmRing.WaitStrategy.SPIN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
            assertThatThrownBy(() -> ShmRing.initialize(segment.memory(), 1024, ShmRing.WaitStrategy.SPIN))
                    .hasMessageContaining("needs a segment of");
            assertThatThrownBy(() -> ShmRing.attach(segment.memory(), ShmRing.WaitStrategy.SPIN))
                    .hasMessageContaining("no ring here");
        }
    }

    @ParameterizedTest(name = "{0}: {1} messages")
    @CsvSource({"SPIN, 1000000", "BLOCK, 200000"})
    void shouldCarryEveryMessageFromAnotherJvmNoneLostDuplicatedOrTorn(ShmRing.WaitStrategy strategy, int count)
            throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1 << 16))) {
            ShmRing ring = ShmRing.initialize(segment.memory(), 1 << 16, strategy);
            try (ChildProcess producer = ChildJvm.builder(ShmPeers.class)
                    .args("ring-producer", name, String.valueOf(count), strategy.name()).quickStart().start()) {
                producer.awaitLine("ready", Duration.ofSeconds(30));
                ByteBuffer received = ByteBuffer.allocateDirect(512);
                for (int i = 0; i < count; i++) {
                    int length = ring.receive(received.clear(), Duration.ofSeconds(30));
                    assertThat(length).as("message %d arrived", i).isPositive();
                    if (!RingMessages.matches(received.flip(), i)) {
                        throw new AssertionError("message " + i + " is wrong: " + length + " bytes");
                    }
                }
                assertThat(ring.receive(received.clear(), Duration.ofMillis(20))).as("nothing extra").isEqualTo(-1);
                assertThat(producer.awaitExit(Duration.ofSeconds(30))).as(producer.stderr()).isZero();
            }
        }
    }
}
