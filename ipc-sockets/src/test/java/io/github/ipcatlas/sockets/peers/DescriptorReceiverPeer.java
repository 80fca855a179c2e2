package io.github.ipcatlas.sockets.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.sockets.DescriptorPassing;

/**
 * Receives one descriptor on the Unix socket it inherited as fd 3, writes {@code MESSAGE} into it and exits: the
 * child never opened the file it writes to.
 *
 * <p>Arguments: {@code MESSAGE}.
 */
public final class DescriptorReceiverPeer {
    private DescriptorReceiverPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (FdChannel socket = new FdChannel(3, "inherited socket")) {
            System.out.println("ready");
            DescriptorPassing.Received received = DescriptorPassing.receive(socket, ByteBuffer.allocate(16), 1);
            try (FdChannel handed = received.descriptors().get(0)) {
                handed.write(ByteBuffer.wrap(args[0].getBytes(StandardCharsets.UTF_8)));
            }
            System.out.println("wrote to descriptor " + received.descriptors().get(0).description());
        }
    }
}
