package io.github.ipcatlas.sockets.peers;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.FrameReader;
import io.github.ipcatlas.sockets.FrameWriter;

/**
 * Connects and then either sends 1 KiB frames forever ({@code write}), reads frames forever ({@code read}), or
 * pipelines empty frames as fast as it can while a second thread drains the replies ({@code pipeline}, for at most
 * 60 s), printing {@code streaming} once under way — a peer to kill with SIGKILL mid-conversation, or a client that
 * tries to keep a selector thread to itself.
 *
 * <p>Arguments: {@code tcp HOST:PORT | unix PATH}, {@code write|read|pipeline}.
 */
public final class FloodPeer {
    private FloodPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (SocketChannel channel = Connections.connect(PeerAddresses.parse(args[0], args[1]),
                Duration.ofSeconds(30))) {
            if (args[2].equals("pipeline")) {
                pipeline(channel);
                return;
            }
            ByteBuffer frame = ByteBuffer.allocateDirect(1024);
            boolean announced = false;
            if (args[2].equals("write")) {
                FrameWriter writer = new FrameWriter(1024);
                while (true) {
                    writer.write(channel, frame.clear());
                    if (!announced) {
                        System.out.println("streaming");
                        announced = true;
                    }
                }
            }
            FrameReader reader = new FrameReader(1024);
            System.out.println("streaming");
            while (reader.read(channel, frame.clear()) >= 0) {
                // keep draining until killed
            }
        }
    }

    private static void pipeline(SocketChannel channel) throws Exception {
        Thread drain = new Thread(() -> {
            ByteBuffer replies = ByteBuffer.allocateDirect(1 << 20);
            try {
                while (channel.read(replies.clear()) >= 0) {
                    // the replies only have to leave the server's way
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        ByteBuffer emptyFrames = ByteBuffer.allocateDirect(64 * 1024); // zeros: 16,384 four-byte headers of length 0
        System.out.println("streaming");
        long stop = System.nanoTime() + 60_000_000_000L; // bounded: the flood ends by itself
        while (System.nanoTime() - stop < 0) {
            channel.write(emptyFrames.clear());
        }
    }
}
