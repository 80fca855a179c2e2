package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CounterTest {

    @RepeatedTest(5)
    void shouldLoseAllButOneIncrementWhenEveryReadPrecedesEveryWrite() throws InterruptedException {
        assertThat(LostUpdate.run(10)).isEqualTo(1);
        assertThat(LostUpdate.run(2)).isEqualTo(1);
    }

    @Test
    void shouldRefuseARaceOfOneThread() {
        assertThatThrownBy(() -> LostUpdate.run(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads 1");
    }

    static Stream<Arguments> safeCounters() {
        return Stream.of(
                Arguments.of("synchronized", (Supplier<Counter>) Counter::synchronizedCounter),
                Arguments.of("AtomicLong", (Supplier<Counter>) Counter::atomic),
                Arguments.of("LongAdder", (Supplier<Counter>) Counter::longAdder),
                Arguments.of("ReentrantLock", (Supplier<Counter>) Counter::locked),
                Arguments.of("VarHandle", (Supplier<Counter>) Counter::varHandle));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safeCounters")
    void shouldCountEveryIncrementFromManyThreads(String name, Supplier<Counter> factory) throws InterruptedException {
        Counter counter = factory.get();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    counter.increment();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(counter.get()).as(name).isEqualTo(8 * 50_000);
    }

    @Test
    void shouldCountOnOneThreadEvenUnsynchronized() {
        Counter counter = Counter.unsynchronized();
        for (int i = 0; i < 1000; i++) {
            counter.increment();
        }
        assertThat(counter.get()).isEqualTo(1000);
    }
}
