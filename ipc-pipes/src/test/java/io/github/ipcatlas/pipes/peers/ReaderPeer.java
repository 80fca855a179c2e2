package io.github.ipcatlas.pipes.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.pipes.Fifo;

/**
 * Reads to end of stream and prints {@code bytes N crc C}. Source: {@code fd N} (an inherited descriptor) or
 * {@code fifo PATH}. Prints {@code ready} first (for a FIFO: once a writer has come).
 */
public final class ReaderPeer {
    private ReaderPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (FdChannel source = args[0].equals("fd") ? new FdChannel(Integer.parseInt(args[1]), "inherited fd")
                : Fifo.openReader(Path.of(args[1]), Duration.ofSeconds(30))) {
            System.out.println("ready");
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            byte[] chunk = new byte[buffer.capacity()];
            CRC32 crc = new CRC32();
            long total = 0;
            for (int n; (n = source.read(buffer.clear())) >= 0; ) {
                buffer.flip().get(chunk, 0, n);
                crc.update(chunk, 0, n);
                total += n;
            }
            System.out.println("bytes " + total + " crc " + crc.getValue());
        }
    }
}
