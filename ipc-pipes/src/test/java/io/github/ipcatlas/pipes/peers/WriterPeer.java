package io.github.ipcatlas.pipes.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.pipes.Fifo;
import io.github.ipcatlas.pipes.PipeTestData;

/**
 * Writes {@link PipeTestData#pattern} bytes: {@code fd N BYTES} or {@code fifo PATH BYTES}; {@code BYTES} of -1
 * writes until killed. Prints {@code ready} once the destination is open.
 */
public final class WriterPeer {
    private WriterPeer() {
    }

    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args[2]);
        try (FdChannel sink = args[0].equals("fd") ? new FdChannel(Integer.parseInt(args[1]), "inherited fd")
                : Fifo.openWriter(Path.of(args[1]), Duration.ofSeconds(30))) {
            System.out.println("ready");
            ByteBuffer block = ByteBuffer.wrap(PipeTestData.pattern(8192));
            for (long written = 0; total < 0 || written < total; ) {
                int length = (int) (total < 0 ? block.capacity() : Math.min(block.capacity(), total - written));
                written += sink.write(block.clear().limit(length));
            }
        }
    }
}
