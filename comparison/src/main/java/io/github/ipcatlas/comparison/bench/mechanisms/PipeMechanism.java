package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.util.List;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.comparison.bench.StreamLink;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.pipes.AnonymousPipe;

/** Two anonymous pipes to a child JVM that inherited one end of each as descriptors 3 (in) and 4 (out). */
public final class PipeMechanism implements Mechanism {
    private static final int PEER_IN = 3;
    private static final int PEER_OUT = 4;

    @Override
    public String id() {
        return "pipe";
    }

    @Override
    public String description() {
        return "anonymous pipes pipe(2), one each way; both sides block in read(2)";
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        AnonymousPipe toPeer = AnonymousPipe.open();
        AnonymousPipe fromPeer = AnonymousPipe.open();
        return ChildConnection.start(ChildConnection.peer(this, mode).inheritFd(toPeer.readEnd(), PEER_IN)
                .inheritFd(fromPeer.writeEnd(), PEER_OUT), peer -> {
                    // Only the peer may hold these ends, or end of stream and broken pipe would never come.
                    toPeer.readEnd().close();
                    fromPeer.writeEnd().close();
                    return new StreamLink(fromPeer.readEnd(), toPeer.writeEnd());
                }, () -> {
                    toPeer.close();
                    fromPeer.close();
                });
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        return new StreamLink(new FdChannel(PEER_IN, "pipe from the benchmark"),
                new FdChannel(PEER_OUT, "pipe to the benchmark"));
    }
}
