package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.ipcatlas.sockets.ServerEndpoint;
import io.github.ipcatlas.sockets.SocketAddresses;

/** A Unix domain stream socket in a private directory; removed (with the directory) once the peer is gone. */
public final class UdsMechanism extends StreamSocketMechanism {

    @Override
    public String id() {
        return "uds";
    }

    @Override
    public String description() {
        return "Unix domain stream socket, unix(7); both sides block in read(2)";
    }

    @Override
    Listening listen() throws IOException {
        Path directory = ServerEndpoint.privateDirectory(BenchDirectories.prefix("uds"));
        Path path = directory.resolve("bench.sock");
        try {
            return new Listening(ServerEndpoint.bind(SocketAddresses.unix(path)), () -> {
                try {
                    Files.deleteIfExists(path);
                    Files.deleteIfExists(directory);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(directory);
            throw e;
        }
    }

    @Override
    SocketAddress parse(String argument) {
        return SocketAddresses.unix(Path.of(argument));
    }
}
