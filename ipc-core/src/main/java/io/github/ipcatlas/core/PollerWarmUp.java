package io.github.ipcatlas.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes a virtual thread block on a pipe once per JVM, so that the JDK creates its I/O poller while descriptors are
 * still to be had (see {@link VirtualThreads#newThreadPerTaskExecutor()}). Best effort: a JVM already out of
 * descriptors gets nothing worse than before.
 */
final class PollerWarmUp {
    private static final long WAIT_MILLIS = 2_000;
    private static boolean done;

    private PollerWarmUp() {
    }

    static synchronized void once(ExecutorService virtualThreads) {
        if (done) {
            return;
        }
        done = true;
        try {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                AtomicReference<Thread> reader = new AtomicReference<>();
                Future<Integer> read = virtualThreads.submit(() -> {
                    reader.set(Thread.currentThread());
                    return source.read(ByteBuffer.allocate(1)); // nothing written yet: it parks in the poller
                });
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                while ((reader.get() == null || reader.get().getState() != Thread.State.WAITING)
                        && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                sink.write(ByteBuffer.wrap(new byte[] {1}));
                read.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            // best effort: the first real block tries again, as the JDK always does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
