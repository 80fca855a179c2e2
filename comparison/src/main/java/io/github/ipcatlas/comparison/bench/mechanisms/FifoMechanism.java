package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.StreamLink;
import io.github.ipcatlas.pipes.Fifo;
import io.github.ipcatlas.pipes.PipeEnd;

/**
 * Two FIFOs in a private directory, one each way, between the benchmark and a child JVM that knows only their
 * paths. Each side sends one byte after opening its writer so the other side's reader open completes (a FIFO
 * reader here waits for the first data); both names are removed as soon as both sides are connected.
 */
public final class FifoMechanism implements Mechanism {

    @Override
    public String id() {
        return "fifo";
    }

    @Override
    public String description() {
        return "named pipes mkfifo(3), one each way; both sides block in read(2)";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Path directory = Files.createTempDirectory(BenchDirectories.prefix("fifo"));
        Path request = Fifo.create(directory.resolve("request"));
        Path response = Fifo.create(directory.resolve("response"));
        List<PipeEnd> opened = new ArrayList<>(2);
        try {
            return ChildConnection.start(ChildConnection.peer(this, mode, request.toString(), response.toString()),
                    peer -> {
                        PipeEnd out = Fifo.openWriter(request, ChildConnection.PEER_DEADLINE);
                        opened.add(out);
                        out.write(ByteBuffer.allocate(1));
                        PipeEnd in = Fifo.openReader(response, ChildConnection.PEER_DEADLINE);
                        opened.add(in);
                        in.read(ByteBuffer.allocate(1));
                        return new StreamLink(in, out);
                    }, () -> opened.forEach(FifoMechanism::closeQuietly));
        } finally {
            // Both ends are open (or we failed): the names have done their job.
            Files.deleteIfExists(request);
            Files.deleteIfExists(response);
            Files.deleteIfExists(directory);
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        PipeEnd in = Fifo.openReader(Path.of(args.get(0)), ChildConnection.PEER_DEADLINE);
        in.read(ByteBuffer.allocate(1));
        PipeEnd out = Fifo.openWriter(Path.of(args.get(1)), ChildConnection.PEER_DEADLINE);
        out.write(ByteBuffer.allocate(1));
        return new StreamLink(in, out);
    }

    private static void closeQuietly(PipeEnd end) {
        if (end != null) {
            try {
                end.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
