package io.github.ipcatlas.sockets.peers;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.FrameReader;
import io.github.ipcatlas.sockets.FrameWriter;

/**
 * Connects and then either sends 1 KiB frames forever ({@code write}) or reads frames forever ({@code read}),
 * printing {@code streaming} once under way — a peer to kill with SIGKILL mid-conversation.
 *
 * <p>Arguments: {@code tcp HOST:PORT | unix PATH}, {@code write|read}.
 */
public final class FloodPeer {
    private FloodPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (SocketChannel channel = Connections.connect(PeerAddresses.parse(args[0], args[1]),
                Duration.ofSeconds(30))) {
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
}
