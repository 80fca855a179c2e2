package io.github.ipcatlas.sockets.peers;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.FrameReader;
import io.github.ipcatlas.sockets.FrameWriter;

/**
 * Connects to a framed server, sends COUNT requests tagged with CLIENT and its sequence number, checks each reply
 * is the request with every byte incremented, and prints {@code done OK_COUNT}.
 *
 * <p>Arguments: {@code tcp HOST:PORT | unix PATH}, {@code CLIENT}, {@code COUNT}.
 */
public final class FramedClientPeer {
    private FramedClientPeer() {
    }

    public static void main(String[] args) throws Exception {
        SocketAddress address = PeerAddresses.parse(args[0], args[1]);
        int client = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (SocketChannel channel = Connections.connect(address, Duration.ofSeconds(30))) {
            System.out.println("done " + exchange(channel, client, count));
        }
    }

    /**
     * Sends {@code count} requests of varying size tagged with {@code client}, and returns how many replies were the
     * request with every byte incremented.
     */
    public static int exchange(SocketChannel channel, int client, int count) throws java.io.IOException {
        FrameWriter writer = new FrameWriter(4096);
        FrameReader reader = new FrameReader(4096);
        ByteBuffer request = ByteBuffer.allocateDirect(4096);
        ByteBuffer reply = ByteBuffer.allocateDirect(4096);
        int ok = 0;
        for (int i = 0; i < count; i++) {
            int size = 8 + (i * 31 + client) % 2000;
            request.clear().putInt(client).putInt(i);
            while (request.position() < size) {
                request.put((byte) request.position());
            }
            writer.write(channel, request.flip());
            boolean same = reader.read(channel, reply.clear()) == size;
            for (int b = 0; same && b < size; b++) {
                same = reply.get(b) == (byte) (request.get(b) + 1);
            }
            ok += same ? 1 : 0;
        }
        return ok;
    }
}
