package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.net.SocketAddress;

import io.github.ipcatlas.sockets.ServerEndpoint;
import io.github.ipcatlas.sockets.SocketAddresses;

/** TCP over loopback, {@code TCP_NODELAY} on both ends. */
public final class TcpMechanism extends StreamSocketMechanism {

    @Override
    public String id() {
        return "tcp";
    }

    @Override
    public String description() {
        return "TCP over loopback, tcp(7), TCP_NODELAY; both sides block in read(2)";
    }

    @Override
    Listening listen() throws IOException {
        return new Listening(ServerEndpoint.bind(SocketAddresses.loopback(0)), () -> { });
    }

    @Override
    SocketAddress parse(String argument) {
        return SocketAddresses.parse(argument);
    }
}
