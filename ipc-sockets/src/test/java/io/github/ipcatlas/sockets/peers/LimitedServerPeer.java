package io.github.ipcatlas.sockets.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.github.ipcatlas.sockets.BlockingServer;
import io.github.ipcatlas.sockets.FrameReader;
import io.github.ipcatlas.sockets.FrameWriter;
import io.github.ipcatlas.sockets.SelectorServer;
import io.github.ipcatlas.sockets.ServerStatistics;
import io.github.ipcatlas.sockets.SocketAddresses;

/**
 * A framed server on loopback in a JVM of its own, so a test can starve it of a process-wide resource (direct
 * memory through {@code -XX:MaxDirectMemorySize}, descriptors by using them all up) without starving itself. It
 * prints {@code listening on ADDRESS} and echoes each request, except three: {@code stats} is answered with its
 * {@link ServerStatistics}, {@code fill} opens {@code /dev/null} until no descriptor is left (answer:
 * {@code filled N}), {@code release} closes those again ({@code released N}). Runs until killed.
 *
 * <p>Arguments: {@code selector|blocking}, {@code MAX_FRAME_BYTES}, {@code MAX_CONNECTIONS}.
 */
public final class LimitedServerPeer {
    private static final List<FileChannel> FILLERS = new ArrayList<>();
    private static volatile ServerStatistics statistics;

    private LimitedServerPeer() {
    }

    public static void main(String[] args) throws Exception {
        int maxFrameBytes = Integer.parseInt(args[1]);
        int maxConnections = Integer.parseInt(args[2]);
        AutoCloseable server;
        java.net.SocketAddress address;
        if (args[0].equals("selector")) {
            SelectorServer selector = SelectorServer.start(SocketAddresses.loopback(0), maxFrameBytes,
                    maxConnections, LimitedServerPeer::answer);
            statistics = selector.statistics();
            server = selector;
            address = selector.address();
        } else {
            BlockingServer blocking = BlockingServer.builder(SocketAddresses.loopback(0), connection -> {
                FrameReader reader = new FrameReader(maxFrameBytes);
                FrameWriter writer = new FrameWriter(maxFrameBytes);
                ByteBuffer request = ByteBuffer.allocateDirect(maxFrameBytes);
                ByteBuffer response = ByteBuffer.allocateDirect(maxFrameBytes);
                while (reader.read(connection, request.clear()) >= 0) {
                    answer(request.flip(), response.clear());
                    writer.write(connection, response.flip());
                }
            }).maxConnections(maxConnections).start();
            statistics = blocking.statistics();
            server = blocking;
            address = blocking.address();
        }
        // Answer once now: what runs with no descriptor left must not need one to load its classes.
        answer(ByteBuffer.wrap("stats".getBytes(StandardCharsets.UTF_8)), ByteBuffer.allocate(4096));
        System.out.println("listening on " + SocketAddresses.format(address));
        try (server) {
            new CountDownLatch(1).await();
        }
    }

    private static void answer(ByteBuffer request, ByteBuffer response) throws IOException {
        String text = request.remaining() <= 16 ? StandardCharsets.UTF_8.decode(request.duplicate()).toString() : "";
        if (text.equals("stats")) {
            ServerStatistics s = statistics;
            response.put(("accepted=" + s.acceptedConnections() + " failed=" + s.failedConnections()
                    + " acceptFailures=" + s.acceptFailures() + " lastFailure=" + s.lastFailure())
                    .getBytes(StandardCharsets.UTF_8));
        } else if (text.equals("fill")) {
            response.put("filled ".getBytes(StandardCharsets.UTF_8))
                    .put(Integer.toString(fillDescriptors()).getBytes(StandardCharsets.UTF_8));
        } else if (text.equals("release")) {
            int released;
            synchronized (FILLERS) {
                released = FILLERS.size();
                for (FileChannel filler : FILLERS) {
                    filler.close();
                }
                FILLERS.clear();
            }
            response.put(("released " + released).getBytes(StandardCharsets.UTF_8));
        } else {
            response.put(request);
        }
    }

    /** Opens {@code /dev/null} until {@code EMFILE}; how many it opened. */
    private static int fillDescriptors() {
        synchronized (FILLERS) {
            try {
                while (true) {
                    FILLERS.add(FileChannel.open(Path.of("/dev/null")));
                }
            } catch (IOException tooMany) {
                return FILLERS.size(); // EMFILE: every descriptor this process may have is in use
            }
        }
    }
}
