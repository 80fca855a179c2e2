package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mmap.MappedFile;

/**
 * Every view of a segment — shared values and arrays, rings — fails with {@link IllegalStateException} once its
 * mapping is closed, and no close or resize racing a reader crashes the JVM.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedMemoryLifetimeTest {
    private final String name = IpcNames.unique("t-life");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldRefuseEveryViewAfterCloseWithIllegalStateException() throws IOException {
        SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1024));
        SharedLong along = new SharedLong(segment.memory(), 0);
        SharedInt anInt = new SharedInt(segment.memory(), 8);
        SharedDouble aDouble = new SharedDouble(segment.memory(), 16);
        SharedLongArray array = new SharedLongArray(segment.memory(), 64, 4);
        segment.close();
        segment.close();

        assertThatThrownBy(along::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("the mapping is closed");
        assertThatThrownBy(() -> along.getAndAdd(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> anInt.set(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(aDouble::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> array.get(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> segment.resize(8192)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resize after close");
        assertThat(segment).hasToString("SharedMemory[" + name + ", " + RingLayout.segmentBytes(1024) + " bytes, closed]");
    }

    @Test
    void shouldRefuseRingCallsAfterCloseEvenWithTheBlockingStrategy() throws IOException {
        SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1024));
        ShmRing.initialize(segment.memory(), 1024);
        RingProducer producer = ShmRing.producer(segment.memory(), ShmRing.WaitStrategy.BLOCK);
        RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.BLOCK);
        segment.close(); // a futex wait or wake on an unmapped word would be a SIGSEGV
        ByteBuffer message = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> producer.send(message)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> consumer.receive(message, Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.SPIN))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseNativeViewsOfAReadOnlyMappingInsteadOfCrashing() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1024));
             SharedMemory readOnly = SharedMemory.open(name, true)) {
            RobustMutex.initialize(segment.memory(), 0);
            assertThatThrownBy(() -> RobustMutex.attach(readOnly.memory(), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("READ_ONLY").hasMessageContaining("needs a READ_WRITE mapping");
            assertThatThrownBy(() -> RobustMutex.initialize(readOnly.memory(), 64)).isInstanceOf(IllegalArgumentException.class);
            ShmRing.initialize(segment.memory(), 1024);
            assertThatThrownBy(() -> ShmRing.consumer(readOnly.memory(), ShmRing.WaitStrategy.SPIN))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ShmRing.initialize(readOnly.memory(), 1024)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldNotCrashWhenARingIsClosedUnderASleepingReceiver() throws Exception {
        SharedMemory segment = SharedMemory.create(name, RingLayout.segmentBytes(1024));
        ShmRing.initialize(segment.memory(), 1024);
        RingConsumer consumer = ShmRing.consumer(segment.memory(), ShmRing.WaitStrategy.BLOCK);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                outcome.set(consumer.receive(ByteBuffer.allocate(64), Duration.ofMillis(300)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        receiver.start();
        MappedFile memory = segment.memory();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)) // parked, or already given up
                .until(() -> memory.getIntVolatile(RingLayout.CONSUMER_SLEEPING) == 1 || !receiver.isAlive());
        segment.close(); // the sleeping receiver holds its futex word mapped until it wakes
        receiver.join(30_000);
        assertThat(outcome.get()).as("timed out or refused, never a crash")
                .satisfiesAnyOf(value -> assertThat(value).isEqualTo(-1),
                        value -> assertThat(value).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void shouldNeverCrashWhenResizeRemapsUnderAReaderAndRefuseToShrink() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, 64 * 1024)) {
            new SharedLong(segment.memory(), 0).set(42);
            AtomicLong reads = new AtomicLong();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                started.countDown();
                ByteBuffer bytes = ByteBuffer.allocate(4096);
                while (!Thread.currentThread().isInterrupted()) {
                    MappedFile memory = segment.memory(); // the current mapping; resize may close it under us
                    try {
                        for (int i = 0; i < 1000; i++) {
                            if (memory.getLongAcquire(0) != 42) {
                                throw new AssertionError("the contents moved");
                            }
                            memory.get(memory.length() - 4096, bytes.clear()); // the last page: where a shrink would cut
                            reads.incrementAndGet();
                        }
                    } catch (IllegalStateException closedByResize) {
                        // make the view again on the new mapping
                    } catch (Throwable t) {
                        unexpected.set(t);
                        return;
                    }
                }
            });
            reader.start();
            started.await();
            for (int i = 1; i <= 100; i++) {
                segment.resize(64 * 1024 + i * 4096L);
            }
            reader.interrupt();
            reader.join(30_000);
            assertThat(unexpected.get()).isNull();
            assertThat(reads.get()).isPositive();
            assertThat(segment.size()).isEqualTo(64 * 1024 + 100 * 4096L);
            assertThatThrownBy(() -> segment.resize(64 * 1024)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shrinking").hasMessageContaining("SIGBUS");
            assertThat(segment.size()).as("unchanged").isEqualTo(64 * 1024 + 100 * 4096L);
        }
    }
}
