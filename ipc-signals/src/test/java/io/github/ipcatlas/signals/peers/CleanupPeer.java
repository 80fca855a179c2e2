package io.github.ipcatlas.signals.peers;

import java.time.Duration;

import io.github.ipcatlas.shm.NamedSemaphore;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.signals.GracefulShutdown;

/**
 * Creates a shared-memory segment and a named semaphore (both outlive a process), registers their removal with a
 * {@link GracefulShutdown}, prints {@code ready} and waits for a signal.
 *
 * <p>Arguments: {@code SEGMENT_NAME SEMAPHORE_NAME}.
 */
public final class CleanupPeer {
    private CleanupPeer() {
    }

    public static void main(String[] args) throws Exception {
        GracefulShutdown shutdown = GracefulShutdown.install(Duration.ofSeconds(10));
        SharedMemory segment = SharedMemory.create(args[0], 4096);
        shutdown.onShutdown("unlink " + args[0], () -> SharedMemory.unlink(args[0]));
        shutdown.onShutdown("close segment", segment);
        NamedSemaphore semaphore = NamedSemaphore.create(args[1], 0);
        shutdown.onShutdown("unlink " + args[1], () -> NamedSemaphore.unlink(args[1]));
        shutdown.onShutdown("close semaphore", semaphore);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
