package io.github.ipcatlas.core.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.github.ipcatlas.core.FdChannel;

/** Reads descriptor 3 (inherited from the parent) to end of stream and prints what it got. */
public final class InheritedFdPeer {
    private InheritedFdPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (FdChannel inherited = new FdChannel(3, "inherited fd 3")) {
            System.out.println("ready");
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (inherited.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    break;
                }
            }
            buffer.flip();
            System.out.println("got " + StandardCharsets.UTF_8.decode(buffer));
        }
    }
}
