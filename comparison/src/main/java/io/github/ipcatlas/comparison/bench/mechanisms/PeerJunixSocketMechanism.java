package io.github.ipcatlas.comparison.bench.mechanisms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.github.ipcatlas.comparison.bench.ChildConnection;
import io.github.ipcatlas.comparison.bench.Link;
import io.github.ipcatlas.comparison.bench.Mechanism;
import io.github.ipcatlas.comparison.bench.PeerMode;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.signals.Signal;
import io.github.ipcatlas.signals.Signals;
import io.github.ipcatlas.sockets.ServerEndpoint;

/**
 * A peer library, not ours: junixsocket's {@link AFUNIXServerSocket} and {@link AFUNIXSocket} — Unix domain sockets
 * through its own JNI library, from before the JDK had them — carrying the messages between two JVMs over one stream
 * connection, both sides blocking in {@code read(2)}. It sits next to {@code uds}, the same connection through the
 * JDK's {@code SocketChannel}. The messages go through the socket's streams, as junixsocket's users write (its
 * {@code java.net.Socket} API is what it is for); its channels would spare a copy, but allocate a lambda on every
 * read and write.
 *
 * <p>The socket is bound, mode 0600, in a directory only its owner can enter, and both are removed once the peer has
 * connected (or the connection failed): the connection needs no file. A JVM where junixsocket's native library does
 * not load is told so by {@link #cannotCarry} instead of failing.
 */
public final class PeerJunixSocketMechanism implements Mechanism {

    @Override
    public String id() {
        return "peer-junixsocket";
    }

    @Override
    public String description() {
        return "junixsocket's AFUNIXSocket (a peer library): one Unix domain stream connection, through the "
                + "socket's streams; both sides block in read(2)";
    }

    /** Any size a stream carries; but junixsocket's native library must load in this JVM. */
    @Override
    public String cannotCarry(int size) {
        return JunixSocketAccess.problem();
    }

    @Override
    public Connection connect(PeerMode mode) throws IOException {
        Path directory = ServerEndpoint.privateDirectory(BenchDirectories.prefix("junixsocket"));
        Path path = directory.resolve("bench.sock");
        Runnable remove = () -> removeSocket(path, directory);
        AFUNIXServerSocket server;
        try {
            server = AFUNIXServerSocket.bindOn(path, false); // not deleted on close: removed with its directory below
        } catch (IOException | RuntimeException e) {
            remove.run();
            throw e;
        }
        try (server) { // one connection: stop listening once it is made
            // junixsocket makes the file 0666 (inside a directory only we can enter): narrow it before starting the peer
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            server.setSoTimeout((int) ChildConnection.PEER_DEADLINE.toMillis());
            String self = String.valueOf(ProcessHandle.current().pid());
            return ChildConnection.start(ChildConnection.peer(this, mode, path.toString(), self), peer -> {
                AFUNIXSocket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    throw new IpcTimeoutException("accept(" + path + ")", ChildConnection.PEER_DEADLINE);
                }
                remove.run();
                return SocketStreamsLink.over(socket);
            }, server, remove);
        } catch (IOException | RuntimeException e) {
            remove.run();
            throw e;
        }
    }

    @Override
    public Link accept(List<String> args) throws IOException {
        // a peer blocked in read(2) sees the benchmark's end anyway; one still starting must not outlive it either
        Signals.sendOnParentDeath(Signal.KILL, Long.parseLong(args.get(1)));
        AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(Path.of(args.get(0))));
        return SocketStreamsLink.over(socket);
    }

    private static void removeSocket(Path path, Path directory) {
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
