package io.github.ipcatlas.sockets.peers;

import java.net.SocketAddress;
import java.nio.file.Path;

import io.github.ipcatlas.sockets.SocketAddresses;

/** {@code tcp HOST:PORT} or {@code unix PATH} from a peer's arguments. */
final class PeerAddresses {
    private PeerAddresses() {
    }

    static SocketAddress parse(String kind, String address) {
        return switch (kind) {
            case "tcp" -> SocketAddresses.parse(address);
            case "unix" -> SocketAddresses.unix(Path.of(address));
            default -> throw new IllegalArgumentException("unknown transport " + kind);
        };
    }
}
