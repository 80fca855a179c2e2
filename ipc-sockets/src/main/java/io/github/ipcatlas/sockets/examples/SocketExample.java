package io.github.ipcatlas.sockets.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.sockets.Connections;
import io.github.ipcatlas.sockets.ServerEndpoint;
import io.github.ipcatlas.sockets.SocketAddresses;

/**
 * The Java twin of the write-up's socket server, with the client it implies:
 *
 * <pre>
 * server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
 * server.bind(('localhost', 12345))
 * server.listen(1)
 * client, addr = server.accept()
 * client.send(b"Hello from server")
 * client.close()
 * </pre>
 *
 * The server binds to loopback on port 0 — the kernel picks a free port, so two runs never collide as a fixed
 * 12345 would — and serves one client on its own thread; the client connects, reads until the server closes and
 * prints {@code Hello from server}.
 */
public final class SocketExample implements Demo {

    public static void main(String[] args) throws Exception {
        new SocketExample().run(System.out);
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public String summary() {
        return "socket twin: a TCP server on a free loopback port greets one client";
    }

    @Override
    public String seed() {
        return """
                import socket

                server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                server.bind(('localhost', 12345))
                server.listen(1)
                client, addr = server.accept()
                client.send(b"Hello from server")
                client.close()
                """;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0), 1)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SocketChannel client = server.accept()) {
                    client.write(ByteBuffer.wrap("Hello from server".getBytes(StandardCharsets.UTF_8)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            try (SocketChannel connection = Connections.connect(server.address(), Duration.ofSeconds(10))) {
                ByteBuffer received = ByteBuffer.allocate(1024);
                while (connection.read(received) >= 0) { // until the server closes: TCP has no message boundaries
                    if (!received.hasRemaining()) {
                        break;
                    }
                }
                out.println(StandardCharsets.UTF_8.decode(received.flip()));
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }
}
