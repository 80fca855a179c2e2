package io.github.ipcatlas.threads.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.VirtualThreads;

/**
 * Why a spinning wait is wrong for virtual threads. A child JVM runs its virtual threads on a single carrier
 * ({@code jdk.virtualThreadScheduler.parallelism=1}), which makes the effect certain instead of likely: a virtual
 * thread that busy-waits for a flag never unmounts, so the virtual thread that would set the flag cannot run until
 * the spinner gives up; a virtual thread that blocks (here on a {@link CountDownLatch}) leaves the carrier at once
 * and is released as soon as the other one runs. Needs JDK 21 or newer; on older JDKs it says so.
 */
public final class VirtualSpinExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    static final long SPIN_LIMIT_MILLIS = 300;

    public static void main(String[] args) throws Exception {
        new VirtualSpinExample().run(System.out);
    }

    @Override
    public String name() {
        return "thread-virtual-spin";
    }

    @Override
    public String summary() {
        return "a spinning virtual thread starves the one that would release it; a blocking one does not (JDK 21+)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        if (!VirtualThreads.available()) {
            out.println("virtual threads need JDK 21 or newer; this is JDK " + Runtime.version().feature());
            return;
        }
        try (ChildProcess child = ChildJvm.builder(OneCarrier.class).quickStart()
                .jvmOptions("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1")
                .start()) {
            for (String line : child.remainingLines(DEADLINE)) {
                out.println(line);
            }
            int status = child.awaitExit(DEADLINE);
            if (status != 0) {
                throw new IllegalStateException("the child exited with " + status + ": " + child.stderr());
            }
        }
    }

    /** Runs in a JVM whose virtual threads share one carrier thread. */
    public static final class OneCarrier {
        private static volatile boolean flag;
        private static volatile boolean setterRanFirst;

        private OneCarrier() {
        }

        public static void main(String[] args) throws Exception {
            Thread spinner = start(() -> {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SPIN_LIMIT_MILLIS);
                while (!flag && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // never unmounts: the carrier stays busy
                }
                setterRanFirst = flag;
            });
            Thread setter = start(() -> flag = true);
            spinner.join();
            setter.join();
            System.out.println(setterRanFirst ? "spinning wait: the setter ran while the spinner waited"
                    : "spinning wait: the setter ran only after the spinner gave up after " + SPIN_LIMIT_MILLIS + " ms");

            CountDownLatch latch = new CountDownLatch(1);
            boolean[] released = new boolean[1];
            Thread waiter = start(() -> {
                try {
                    released[0] = latch.await(SPIN_LIMIT_MILLIS, TimeUnit.MILLISECONDS); // unmounts while waiting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread opener = start(latch::countDown);
            waiter.join();
            opener.join();
            System.out.println(released[0] ? "blocking wait: the waiter left the carrier and was released at once"
                    : "blocking wait: the waiter timed out");
        }

        private static Thread start(Runnable task) throws Exception {
            return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
        }
    }
}
