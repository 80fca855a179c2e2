package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * N producers × M consumers over every queue kind and both hand-made buffers: nothing lost, nothing duplicated,
 * each producer's items seen in order by each consumer, and no deadlock (a hard timeout).
 */
class BufferStressTest {
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 3;
    private static final int ITEMS_EACH = 20_000;
    /** Sorts after every item, so even the priority queue hands the pills out last. */
    private static final long PILL = Long.MAX_VALUE;

    static Stream<Arguments> buffers() {
        return Stream.of(
                Arguments.of("ConditionBoundedBuffer", (Supplier<BlockingBuffer<Long>>) () -> new ConditionBoundedBuffer<>(8)),
                Arguments.of("MonitorBoundedBuffer", (Supplier<BlockingBuffer<Long>>) () -> new MonitorBoundedBuffer<>(8)),
                Arguments.of("ClosableQueue", (Supplier<BlockingBuffer<Long>>) () -> adapt(new ClosableQueue<Long>(8))),
                Arguments.of("ArrayBlockingQueue", queue(() -> new ArrayBlockingQueue<>(8))),
                Arguments.of("LinkedBlockingQueue", queue(LinkedBlockingQueue::new)),
                Arguments.of("SynchronousQueue", queue(SynchronousQueue::new)),
                Arguments.of("LinkedTransferQueue", queue(LinkedTransferQueue::new)),
                Arguments.of("PriorityBlockingQueue", queue(PriorityBlockingQueue::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLoseNothingDuplicateNothingAndKeepEachProducersOrder(String name,
                                                                  Supplier<BlockingBuffer<Long>> factory)
            throws Exception {
        BlockingBuffer<Long> buffer = factory.get();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try {
            List<CompletableFuture<List<Long>>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(CompletableFuture.supplyAsync(() -> consume(buffer), pool));
            }
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                long producer = p;
                producers.add(CompletableFuture.runAsync(() -> produce(buffer, producer), pool));
            }
            CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
            for (int c = 0; c < CONSUMERS; c++) {
                buffer.put(PILL);
            }

            boolean[] seen = new boolean[PRODUCERS * ITEMS_EACH];
            int total = 0;
            for (CompletableFuture<List<Long>> consumer : consumers) {
                long[] lastSequence = new long[PRODUCERS];
                java.util.Arrays.fill(lastSequence, -1);
                for (long item : consumer.get(50, TimeUnit.SECONDS)) {
                    int producer = (int) (item >>> 32);
                    int sequence = (int) item;
                    assertThat(sequence).as("%s: producer %d's order", name, producer).isGreaterThan((int) lastSequence[producer]);
                    lastSequence[producer] = sequence;
                    int index = producer * ITEMS_EACH + sequence;
                    assertThat(seen[index]).as("%s: item %d of producer %d twice", name, sequence, producer).isFalse();
                    seen[index] = true;
                    total++;
                }
            }
            assertThat(total).as("%s: items received", name).isEqualTo(PRODUCERS * ITEMS_EACH);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void produce(BlockingBuffer<Long> buffer, long producer) {
        try {
            for (long sequence = 0; sequence < ITEMS_EACH; sequence++) {
                buffer.put(producer << 32 | sequence);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Long> consume(BlockingBuffer<Long> buffer) {
        List<Long> received = new ArrayList<>();
        try {
            for (long item; (item = buffer.take()) != PILL; ) {
                received.add(item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return received;
    }

    /** A BlockingQueue family member as a buffer. */
    private static Supplier<BlockingBuffer<Long>> queue(Supplier<BlockingQueue<Long>> factory) {
        return () -> {
            BlockingQueue<Long> queue = factory.get();
            return buffer(queue::put, queue::take);
        };
    }

    private static BlockingBuffer<Long> adapt(ClosableQueue<Long> queue) {
        return buffer(queue::put, queue::take);
    }

    private interface Put {
        void put(Long element) throws InterruptedException;
    }

    private interface Take {
        Long take() throws InterruptedException;
    }

    private static BlockingBuffer<Long> buffer(Put put, Take take) {
        return new BlockingBuffer<>() {
            @Override
            public void put(Long element) throws InterruptedException {
                put.put(element);
            }

            @Override
            public Long take() throws InterruptedException {
                return take.take();
            }
        };
    }
}
