package io.github.ipcatlas.sockets.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import io.github.ipcatlas.core.Deadline;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sockets.UnixAddress;
import io.github.ipcatlas.sockets.UnixListener;
import io.github.ipcatlas.sockets.UnixStreams;

/**
 * {@code socket echo-server} and {@code socket send} on an abstract Unix name ({@code --unix @NAME}), which the
 * JDK's channels cannot reach: through {@link UnixListener} and {@link UnixStreams}, with the same behaviour as on a
 * path.
 */
final class AbstractEcho {
    /** How long a client may send nothing, or take nothing back, before it is dropped. */
    private static final Duration IDLE = Duration.ofMinutes(2);
    /** Clients served at once; more wait in the listen backlog. */
    private static final int CONCURRENT_CLIENTS = 64;

    private AbstractEcho() {
    }

    /** Echoes for each client until it closes; with {@code count}, exits after that many clients that spoke. */
    static int serve(UnixAddress name, Integer count, PrintStream out) throws Exception {
        ExecutorService workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "echo " + name);
            thread.setDaemon(true);
            return thread;
        });
        Semaphore spoke = new Semaphore(0);
        Semaphore slots = new Semaphore(CONCURRENT_CLIENTS);
        try (UnixListener listener = UnixListener.bind(name)) {
            out.println("listening on " + listener.address());
            out.flush();
            int wanted = count == null ? Integer.MAX_VALUE : count;
            while (!spoke.tryAcquire(wanted)) {
                if (!slots.tryAcquire()) {
                    Thread.sleep(1);
                    continue;
                }
                FdChannel client;
                try {
                    client = listener.accept(Duration.ofMillis(100));
                } catch (IpcTimeoutException none) {
                    slots.release();
                    continue;
                }
                workers.execute(() -> {
                    try (client) {
                        if (echo(client)) {
                            spoke.release();
                        }
                    } catch (IOException dropped) {
                        // a client that broke off is its own problem; the server goes on
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            workers.shutdownNow();
        }
        return 0;
    }

    /**
     * Echoes until end of stream, or until the client idles (sends nothing, or takes nothing back) for
     * {@link #IDLE}, as the path server does; whether the client sent anything.
     */
    private static boolean echo(FdChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        boolean spoke = false;
        while (true) {
            int n = client.read(buffer.clear(), IDLE);
            if (n < 0) {
                return spoke;
            }
            if (n == 0) { // idle too long: dropped, so that it cannot hold a slot for ever
                return spoke;
            }
            spoke = true;
            buffer.flip();
            client.write(buffer, IDLE);
            if (buffer.hasRemaining()) { // it does not read what it is sent
                return spoke;
            }
        }
    }

    /** Sends {@code message}, shuts down the sending side and prints what comes back until the server closes. */
    static void send(UnixAddress name, ByteBuffer message, Duration timeout, PrintStream out) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        try (FdChannel channel = UnixStreams.connect(name, timeout)) {
            channel.write(message, Duration.ofNanos(deadline.remainingNanos()));
            if (message.hasRemaining()) {
                throw new IpcTimeoutException("write(" + name + "): the server did not take the text, so it", timeout);
            }
            UnixStreams.shutdownOutput(channel);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (true) {
                int n = channel.read(buffer.clear(), Duration.ofNanos(deadline.remainingNanos()));
                if (n < 0) {
                    return;
                }
                out.write(buffer.array(), 0, n);
                if (deadline.expired()) { // whatever came: a server that never stops sending must not keep us
                    out.flush();
                    throw new IpcTimeoutException("read(" + name + "): the server did not close, so it", timeout);
                }
            }
        }
    }
}
