package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.threads.examples.DeadlockExample;
import io.github.ipcatlas.threads.examples.ProducerConsumerExample;
import io.github.ipcatlas.threads.examples.RaceExample;
import io.github.ipcatlas.threads.examples.ThreadConditionExample;
import io.github.ipcatlas.threads.examples.ThreadEventExample;
import io.github.ipcatlas.threads.examples.ThreadLockExample;
import io.github.ipcatlas.threads.examples.ThreadQueueExample;
import io.github.ipcatlas.threads.examples.ThreadSharedVariableExample;

/** Each example prints what its Python original prints, every time (the examples are repeated to show it). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    @RepeatedTest(20)
    void shouldPrintWhatTheSeedsThreadExamplesPrint() throws Exception {
        assertThat(run(new ThreadSharedVariableExample())).isEqualTo("10\n");
        assertThat(run(new ThreadLockExample())).isEqualTo("10\n");
        assertThat(run(new ThreadEventExample())).isEqualTo("Worker waiting for event\nWorker received event\n");
        assertThat(run(new ThreadQueueExample())).isEqualTo("Hello from the worker thread\n");
        assertThat(run(new ThreadConditionExample())).isEqualTo("Consumed: 1\n");
    }

    @Test
    void shouldShowTheLostUpdateAndTheSafeCounters() throws Exception {
        assertThat(run(new RaceExample()).lines()).containsExactly(
                "counter++ by 10 threads, every read before any write: 1",
                "synchronized: 10 threads x 100000 increments = 1000000",
                "AtomicLong: 10 threads x 100000 increments = 1000000",
                "LongAdder: 10 threads x 100000 increments = 1000000",
                "ReentrantLock: 10 threads x 100000 increments = 1000000",
                "VarHandle.getAndAdd: 10 threads x 100000 increments = 1000000");
    }

    @Test
    void shouldDetectBreakAndAvoidTheDeadlock() throws Exception {
        assertThat(run(new DeadlockExample()).lines()).containsExactly(
                "deadlock detected: 2 threads",
                "  \"A-then-B\" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync held by \"B-then-A\"",
                "  \"B-then-A\" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync held by \"A-then-B\"",
                "broken by interrupting both threads",
                "with lock ordering: both threads finished");
    }

    @Test
    void shouldConsumeEverythingWithBothShutdownStyles() throws Exception {
        assertThat(run(new ProducerConsumerExample()).lines()).containsExactly(
                "poison pill: consumed sum 50005000", "closable queue: consumed sum 50005000");
    }

    @Test
    void shouldShowThatASpinningVirtualThreadStarvesItsReleaserAndABlockingOneDoesNot() throws Exception {
        String output = run(new io.github.ipcatlas.threads.examples.VirtualSpinExample());

        if (Runtime.version().feature() >= 21) {
            assertThat(output).isEqualTo("spinning wait: the setter ran only after the spinner gave up after 300 ms\n"
                    + "blocking wait: the waiter left the carrier and was released at once\n");
        } else {
            assertThat(output).isEqualTo("virtual threads need JDK 21 or newer; this is JDK "
                    + Runtime.version().feature() + "\n");
        }
    }

    @Test
    void shouldListEveryExampleAsADemo() {
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name())).containsExactlyInAnyOrder(
                "thread-shared-variable", "thread-lock", "thread-event", "thread-queue", "thread-condition",
                "thread-race", "thread-deadlock", "thread-producer-consumer", "thread-virtual-spin");
    }

    private static String run(Demo demo) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            demo.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
