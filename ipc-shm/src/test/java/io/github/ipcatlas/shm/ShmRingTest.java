package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;

/** The ring within one process: records of every size, wrap-around, claims, aborts, batches, waits and recovery. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShmRingTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private final String name = IpcNames.unique("t-ring");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    /** A message of {@code size} bytes starting with {@code value} in the ring's (native) byte order. */
    private static ByteBuffer longs(int size, long value) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder()).putLong(0, value);
    }

    private SharedMemory ring(long capacity) throws IOException {
        SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(capacity));
        ShmRing.initialize(segment.memory(), capacity);
        return segment;
    }

    @Test
    void shouldRefuseANullOrNegativeTimeoutOnEveryCallOfAFreshSideAndAfterAValidOne() throws IOException {
        try (SharedMemory segment = ring(1024)) {
            for (int round = 0; round < 2; round++) { // a side converts a timeout once and remembers it: not null's
                RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.SPIN);
                RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
                if (round == 1) {
                    assertThat(producer.send(longs(8, 1), DEADLINE)).isTrue();
                    assertThat(consumer.receive(ByteBuffer.allocate(8), DEADLINE)).isEqualTo(8);
                }
                assertThatThrownBy(() -> producer.send(longs(8, 2), null)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("timeout");
                assertThatThrownBy(() -> producer.claim(8, null)).isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> consumer.receive(ByteBuffer.allocate(8), null))
                        .isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> consumer.await(null)).isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> consumer.await(Duration.ofNanos(-1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
                assertThat(consumer.receive(ByteBuffer.allocate(8), Duration.ZERO)).as("nothing was sent").isEqualTo(-1);
            }
        }
    }

    @Test
    void shouldCarryRecordsAcrossTheWrapAroundInOrder() throws IOException {
        try (SharedMemory segment = ring(2048)) {
            RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            assertThat(producer.maxPayload()).isEqualTo(504);
            ByteBuffer message = ByteBuffer.allocate(512);
            ByteBuffer received = ByteBuffer.allocate(512);
            for (int i = 0; i < 1000; i++) { // up to 300-byte records through a 2 KiB ring: it wraps many times
                RingMessages.fill(message.clear(), i);
                producer.send(message.flip());
                producer.send(message.flip().position(0)); // two in flight, so records meet the end of the ring
                for (int copy = 0; copy < 2; copy++) {
                    assertThat(consumer.receive(received.clear(), DEADLINE)).isEqualTo(1 + i % 300);
                    assertThat(RingMessages.matches(received.flip(), i)).as("message %d", i).isTrue();
                }
            }
            assertThatThrownBy(() -> producer.send(ByteBuffer.allocate(505))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the ring carries 0 to 504");
        }
    }

    @Test
    void shouldCarryEveryPayloadSizeFromZeroToTheMaximum() throws IOException {
        try (SharedMemory segment = ring(4096)) {
            RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            ByteBuffer message = ByteBuffer.allocate(producer.maxPayload());
            ByteBuffer received = ByteBuffer.allocate(producer.maxPayload());
            for (int size = 0; size <= producer.maxPayload(); size++) {
                message.clear().limit(size);
                for (int i = 0; i < size; i++) {
                    message.put(i, (byte) (size + i));
                }
                assertThat(producer.send(message, DEADLINE)).isTrue();
                assertThat(consumer.receive(received.clear(), DEADLINE)).isEqualTo(size);
                for (int i = 0; i < size; i++) {
                    assertThat(received.get(i)).as("byte %d of a %d-byte record", i, size).isEqualTo((byte) (size + i));
                }
            }
        }
    }

    @Test
    void shouldWriteInPlaceCommitAbortAndRefuseBadClaims() throws IOException {
        try (SharedMemory segment = ring(1024)) {
            MappedFile memory = segment.memory();
            RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN);
            assertThatThrownBy(() -> producer.tryClaim(producer.maxPayload() + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("record of 249 bytes: the ring carries 0 to 248");
            assertThatThrownBy(() -> producer.tryClaim(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(producer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("no claim");

            long at = producer.tryClaim(16);
            memory.putLong(at, 0x5555_5555_5555_5555L);
            memory.putLong(at + 8, 7);
            assertThatThrownBy(() -> producer.tryClaim(8)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a claim of 16 bytes is open");
            producer.abort();
            assertThat(consumer.receive(ByteBuffer.allocate(64), Duration.ofMillis(20))).as("aborted: never seen").isEqualTo(-1);

            assertThat(producer.tryClaim(8)).as("the room is claimed again").isEqualTo(at);
            memory.putLong(at, 42);
            producer.commit();
            ByteBuffer received = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            assertThat(consumer.receive(received, DEADLINE)).isEqualTo(8);
            assertThat(received.getLong(0)).isEqualTo(42);
        }
    }

    @Test
    void shouldReadBatchesInPlaceAndCountAHandlersFailureAsConsumed() throws IOException {
        try (SharedMemory segment = ring(4096)) {
            RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            for (long i = 0; i < 10; i++) {
                producer.send(longs(8, i));
            }
            List<Long> seen = new ArrayList<>();
            RecordHandler collect = (memory, offset, length) -> seen.add(memory.getLong(offset));
            assertThat(consumer.read(collect, 4)).isEqualTo(4);
            assertThat(consumer.read(collect, 100)).isEqualTo(6);
            assertThat(consumer.read(collect, 100)).isZero();
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

            producer.send(longs(8, 10));
            producer.send(longs(8, 11));
            assertThatThrownBy(() -> consumer.read((memory, offset, length) -> {
                throw new IOException("handler failed");
            }, 1)).hasMessage("handler failed");
            assertThat(consumer.read(collect, 10)).as("the failed record is not handed over again").isEqualTo(1);
            assertThat(seen).endsWith(11L);
            assertThatThrownBy(() -> consumer.read(collect, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ShmRing.WaitStrategy.class)
    void shouldGiveUpAtTheDeadlineOnEmptyAndFullRings(ShmRing.WaitStrategy strategy) throws IOException {
        try (SharedMemory segment = ring(256)) {
            RingProducer producer = ShmRing.producer(segment.memory(), strategy);
            RingConsumer consumer = ShmRing.consumer(segment.memory(), strategy);
            assertThat(consumer.receive(ByteBuffer.allocate(64), Duration.ofMillis(30))).isEqualTo(-1);
            assertThat(consumer.await(Duration.ofMillis(10))).isFalse();
            int sent = 0;
            while (producer.send(ByteBuffer.allocate(56), Duration.ofMillis(30))) {
                sent++;
            }
            assertThat(sent).as("256 bytes hold three 64-byte records and the header after them").isEqualTo(3);
            assertThat(producer.tryClaim(56)).isEqualTo(-1);
            assertThat(consumer.receive(ByteBuffer.allocate(64), DEADLINE)).isEqualTo(56);
            assertThat(producer.send(ByteBuffer.allocate(56), DEADLINE)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ShmRing.WaitStrategy.class)
    void shouldStopWaitingWithAnErrorWhenTheMappingIsClosedMeanwhile(ShmRing.WaitStrategy strategy) throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1024))) {
            ShmRing.initialize(segment.memory(), 1024);
            RingConsumer consumer = ShmRing.consumer(segment.memory(), strategy);
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return consumer.receive(ByteBuffer.allocate(64), Duration.ofSeconds(50));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            Thread.sleep(200); // waiting by now, most likely; if not, it finds the mapping closed at once
            segment.close();
            assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS))
                    .as("an error, not a 50-second wait for data that cannot come").hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldWakeASleepingConsumerThroughTheFutexOnlyWhenItSaysItSleeps() throws Exception {
        try (SharedMemory segment = ring(1024)) {
            MappedFile memory = segment.memory();
            RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.BLOCK);
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            producer.send(ByteBuffer.allocate(8));
            assertThat(memory.getIntVolatile(RingLayout.DATA_SIGNAL)).as("nobody slept: no wake call").isZero();
            assertThat(consumer.receive(ByteBuffer.allocate(8), DEADLINE)).isEqualTo(8);

            CompletableFuture<Integer> sleeper = RingMessages.receiveInThread(consumer, 8, Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(DEADLINE)
                    .until(() -> memory.getIntVolatile(RingLayout.CONSUMER_SLEEPING) == 1);
            producer.send(ByteBuffer.allocate(8));
            assertThat(sleeper.get(30, TimeUnit.SECONDS)).isEqualTo(8);
            assertThat(memory.getIntVolatile(RingLayout.DATA_SIGNAL)).as("one wake for the one sleep").isEqualTo(1);
        }
    }

    @Test
    void shouldAnnounceASleeperAgainAfterAnotherSideClearedItsMaySleepFlag() throws Exception {
        try (SharedMemory segment = ring(1024)) {
            MappedFile memory = segment.memory();
            RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
            RingConsumer sleeper = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            assertThat(memory.getIntVolatile(RingLayout.CONSUMER_MAY_SLEEP)).isEqualTo(1);
            ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN); // attached by mistake, and dropped
            assertThat(memory.getIntVolatile(RingLayout.CONSUMER_MAY_SLEEP)).isZero();

            CompletableFuture<Integer> received = RingMessages.receiveInThread(sleeper, 8, Duration.ofSeconds(30));
            org.awaitility.Awaitility.await().atMost(DEADLINE)
                    .until(() -> memory.getIntVolatile(RingLayout.CONSUMER_SLEEPING) == 1);
            assertThat(memory.getIntVolatile(RingLayout.CONSUMER_MAY_SLEEP)).as("set again before the sleep").isEqualTo(1);
            producer.send(ByteBuffer.allocate(8));
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(8);
            assertThat(memory.getIntVolatile(RingLayout.DATA_SIGNAL)).as("woken, not left to time out").isEqualTo(1);
        }
    }

    @Test
    void shouldLetANewProducerCarryOnAfterOneDiedMidClaim() throws IOException {
        try (SharedMemory segment = ring(1024)) {
            MappedFile memory = segment.memory();
            RingProducer dead = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
            for (long i = 0; i < 3; i++) {
                dead.send(longs(16, i));
            }
            memory.setLongRelease(RingLayout.TAIL, 24); // as if it died before publishing its tail after the first
            long at = dead.tryClaim(200);              // and then died in the middle of writing a claim
            for (int i = 0; i < 200; i += 8) {
                memory.putLong(at + i, -1L);
            }

            RingProducer next = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
            assertThat(memory.getLongVolatile(RingLayout.TAIL)).as("recovered: after the three committed").isEqualTo(72);
            next.send(longs(8, 3));
            next.send(longs(8, 4));

            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN);
            List<Long> seen = new ArrayList<>();
            assertThat(consumer.read((map, offset, length) -> seen.add(map.getLong(offset)), 100)).isEqualTo(5);
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void shouldLetANewConsumerStartWhereADeadOneCommitted() throws IOException {
        try (SharedMemory segment = ring(1024)) {
            MappedFile memory = segment.memory();
            RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
            for (long i = 0; i < 4; i++) {
                producer.send(longs(8, i));
            }
            RingConsumer dead = ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN);
            assertThat(dead.read((map, offset, length) -> { }, 2)).isEqualTo(2); // committed two
            dead.read((map, offset, length) -> {
                throw new IllegalStateException("killed while handling the third");
            }, 1) ;
        } catch (IllegalStateException expected) {
            // the third record counts as handed over, and was committed with it
        }
        try (SharedMemory segment = SharedMemory.open(name, false)) {
            RingConsumer next = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN);
            List<Long> seen = new ArrayList<>();
            assertThat(next.read((map, offset, length) -> seen.add(map.getLong(offset)), 100)).isEqualTo(1);
            assertThat(seen).containsExactly(3L);
        }
    }

    @Test
    void shouldRefuseBadRingsAndMalformedRecordsWithoutHanging() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(256))) {
            MappedFile memory = segment.memory();
            assertThatThrownBy(() -> ShmRing.initialize(memory, 100)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two");
            assertThatThrownBy(() -> ShmRing.initialize(memory, 1024)).hasMessageContaining("needs 1664 bytes of mapping");
            assertThatThrownBy(() -> ShmRing.initialize(memory, RingLayout.MAX_CAPACITY * 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 64 to 536870912");
            assertThatThrownBy(() -> ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not IPCRING2");
            memory.putLong(RingLayout.CAPACITY, RingLayout.MAX_CAPACITY * 2); // a ring too large to lie in one chunk
            memory.setLongVolatile(RingLayout.MAGIC_FIELD, RingLayout.MAGIC);
            assertThatThrownBy(() -> ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("capacity field " + RingLayout.MAX_CAPACITY * 2);

            ShmRing.initialize(memory, 256);
            memory.putLong(RingLayout.CAPACITY, Long.MIN_VALUE); // another process wrote nonsense
            assertThatThrownBy(() -> ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("capacity field " + Long.MIN_VALUE);

            ShmRing.initialize(memory, 256);
            memory.putLong(RingLayout.HEAD, -8);
            assertThatThrownBy(() -> ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("head position -8 is outside");
            memory.putLong(RingLayout.HEAD, 3);
            assertThatThrownBy(() -> ShmRing.consumer(memory, ShmRing.WaitStrategy.SPIN)).isInstanceOf(IOException.class)
                    .hasMessageContaining("misaligned");

            ShmRing.initialize(memory, 256);
            RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            memory.putInt(RingLayout.DATA + RingLayout.RECORD_TYPE, RingLayout.MESSAGE);
            memory.setIntRelease(RingLayout.DATA, 1 << 20); // a length past the ring
            assertThatThrownBy(() -> consumer.receive(ByteBuffer.allocate(64), DEADLINE)).isInstanceOf(IOException.class)
                    .hasMessageContaining("malformed record at position 0");

            ShmRing.initialize(memory, 256);
            RingConsumer paddings = ShmRing.consumer(memory, ShmRing.WaitStrategy.BLOCK);
            memory.putInt(RingLayout.DATA + RingLayout.RECORD_TYPE, RingLayout.PADDING);
            memory.setIntRelease(RingLayout.DATA, 256); // padding over the whole ring, and again after it
            assertThatThrownBy(() -> paddings.receive(ByteBuffer.allocate(64), DEADLINE)).isInstanceOf(IOException.class)
                    .hasMessageContaining("two padding records in a row");
        }
    }
}
