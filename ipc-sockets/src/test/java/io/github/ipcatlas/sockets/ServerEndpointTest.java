package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;

@Timeout(30)
class ServerEndpointTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private Path directory;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = SocketDirectory.create();
    }

    @AfterEach
    void removeDirectory() throws IOException {
        SocketDirectory.remove(directory); // some tests leave files on purpose (a stale socket, a data file)
    }

    @Test
    void shouldBindToLoopbackByDefault() throws IOException {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.parse("0"))) {
            InetSocketAddress address = (InetSocketAddress) server.address();
            assertThat(address.getAddress().isLoopbackAddress()).isTrue();
            assertThat(address.getPort()).isPositive();
        }
    }

    @Test
    void shouldParseAddressesAndNameTheBadOnes() {
        assertThat(SocketAddresses.parse("127.0.0.1:80").getPort()).isEqualTo(80);
        assertThat(SocketAddresses.parse("[::1]:81").getAddress().getHostAddress()).contains(":");
        assertThat(SocketAddresses.format(SocketAddresses.parse("[::1]:81"))).isEqualTo("[0:0:0:0:0:0:0:1]:81");
        assertThat(SocketAddresses.parse(SocketAddresses.format(SocketAddresses.loopback(82))))
                .isEqualTo(SocketAddresses.loopback(82));
        assertThatThrownBy(() -> SocketAddresses.parse("70000")).hasMessageContaining("port 70000 is outside");
        assertThatThrownBy(() -> SocketAddresses.parse("host:x")).hasMessageContaining("\"x\" is not a number");
        assertThatThrownBy(() -> SocketAddresses.parse("::1:80")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> SocketAddresses.parse(":80")).hasMessageContaining("no host");
        assertThatThrownBy(() -> SocketAddresses.parse("no-such-host.invalid:80"))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void shouldRefuseAUnixPathTooLongBeforeAnySystemCall() {
        Path longPath = directory.resolve("s".repeat(120));
        assertThatThrownBy(() -> ServerEndpoint.bind(UnixDomainSocketAddress.of(longPath)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(longPath.toString()).hasMessageContaining("the limit is 106");
        assertThat(longPath).doesNotExist();
        assertThatThrownBy(() -> Connections.connect(UnixDomainSocketAddress.of(longPath), CONNECT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBindTheLongestUnixPathTheJdkTakesAndRefuseOneByteMoreByName() throws IOException {
        Path longest = pathOfBytes(106);
        try (ServerEndpoint server = ServerEndpoint.bind(UnixDomainSocketAddress.of(longest));
             SocketChannel client = Connections.connect(server.address(), CONNECT)) {
            assertThat(client.isConnected()).isTrue();
        }
        assertThat(longest).doesNotExist();
        Path tooLong = pathOfBytes(107); // fits sun_path with its NUL, yet the JDK refuses it
        assertThatThrownBy(() -> ServerEndpoint.bind(UnixDomainSocketAddress.of(tooLong)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tooLong.toString())
                .hasMessageContaining("is 107 bytes; the limit is 106");
        assertThatThrownBy(() -> Connections.connect(UnixDomainSocketAddress.of(tooLong), CONNECT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the limit is 106");
        assertThat(tooLong).doesNotExist();
    }

    private Path pathOfBytes(int bytes) {
        Path path = directory.resolve("s".repeat(bytes - directory.toString().length() - 1));
        assertThat(path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(bytes);
        return path;
    }

    @Test
    void shouldProbeALiveServerWhoseBacklogIsFullWithoutWaitingForIt() throws Exception {
        Path path = directory.resolve("busy.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        java.util.List<SocketChannel> queued = new java.util.ArrayList<>();
        try (ServerSocketChannel busy = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            busy.bind(address, 1); // a live server that never accepts: its backlog fills up
            for (int i = 0; i < 64; i++) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.configureBlocking(false);
                try {
                    client.connect(address);
                    queued.add(client);
                } catch (java.net.SocketException full) { // EAGAIN: a blocking connect would wait here
                    client.close();
                    break;
                }
            }
            CompletableFuture<Throwable> bind = CompletableFuture.supplyAsync(() -> {
                try {
                    ServerEndpoint.bind(address).close();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(bind::isDone);
            assertThat(bind.join()).isInstanceOf(BindException.class).hasMessageContaining("a server is listening");
            assertThat(path).as("the live server's file").exists();
        } finally {
            for (SocketChannel client : queued) {
                client.close();
            }
        }
    }

    @Test
    void shouldReportConnectionRefusedWithTheAddress() throws IOException {
        int freePort;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(SocketAddresses.loopback(0))) {
            freePort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        assertThatThrownBy(() -> Connections.connect(SocketAddresses.loopback(freePort), CONNECT))
                .isInstanceOf(ConnectException.class).hasMessageContaining(":" + freePort)
                .hasMessageContaining("nobody listens");
        Path missing = directory.resolve("missing.sock");
        assertThatThrownBy(() -> Connections.connect(UnixDomainSocketAddress.of(missing), CONNECT))
                .isInstanceOf(ConnectException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void shouldGiveUpConnectingAtTheDeadlineWhenSynsAreDropped() throws IOException {
        // A listener that never accepts, with a backlog of 1: once its queue is full, Linux drops further SYNs and
        // the client retransmits for minutes — the case a connect deadline exists for.
        java.util.List<SocketChannel> queued = new java.util.ArrayList<>();
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0), 1)) {
            Throwable gaveUp = null;
            for (int i = 0; i < 16 && gaveUp == null; i++) {
                try {
                    queued.add(Connections.connect(server.address(), Duration.ofMillis(300)));
                } catch (io.github.ipcatlas.core.IpcTimeoutException e) {
                    gaveUp = e;
                }
            }
            assertThat(gaveUp).as("a connect to a full backlog times out").isNotNull()
                    .hasMessageContaining("connect(" + server.address() + ")");
        } finally {
            for (SocketChannel channel : queued) {
                channel.close();
            }
        }
    }

    @Test
    void shouldReportAnAddressInUse() throws IOException {
        try (ServerEndpoint first = ServerEndpoint.bind(SocketAddresses.loopback(0))) {
            assertThatThrownBy(() -> ServerEndpoint.bind(first.address()))
                    .isInstanceOf(BindException.class).hasMessageContaining(first.address().toString())
                    .hasMessageContaining("EADDRINUSE");
        }
        Path path = directory.resolve("live.sock");
        try (ServerEndpoint live = ServerEndpoint.bind(UnixDomainSocketAddress.of(path))) {
            assertThatThrownBy(() -> ServerEndpoint.bind(UnixDomainSocketAddress.of(path)))
                    .isInstanceOf(BindException.class).hasMessageContaining("a server is listening");
            assertThat(path).exists(); // the live server's file was not touched
            try (SocketChannel client = Connections.connect(live.address(), CONNECT)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void shouldReclaimAStaleSocketFileOnlyAfterProbingIt() throws IOException {
        Path path = directory.resolve("stale.sock");
        // A server that dies without cleaning up: the JDK never removes the file it bound.
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        try (ServerSocketChannel plainJdk = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThatThrownBy(() -> plainJdk.bind(UnixDomainSocketAddress.of(path))).isInstanceOf(BindException.class);
        }
        try (ServerEndpoint server = ServerEndpoint.bind(UnixDomainSocketAddress.of(path));
             SocketChannel client = Connections.connect(server.address(), CONNECT)) {
            assertThat(client.isConnected()).isTrue();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void shouldTellTheServerWhichUserConnected() throws IOException {
        Path path = directory.resolve("cred.sock");
        try (ServerEndpoint server = ServerEndpoint.bind(UnixDomainSocketAddress.of(path));
             SocketChannel client = Connections.connect(server.address(), CONNECT);
             SocketChannel accepted = server.accept()) {
            assertThat(PeerCredentials.of(accepted).user().getName()).isEqualTo(System.getProperty("user.name"));
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void shouldNeverReplaceAFileThatIsNotASocket() throws IOException {
        Path path = Files.writeString(directory.resolve("data.txt"), "precious");
        assertThatThrownBy(() -> ServerEndpoint.bind(UnixDomainSocketAddress.of(path)))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(path)).isEqualTo("precious");
    }

    @Test
    void shouldNeverTakeAFifoForAStaleSocket() throws IOException {
        Path fifo = directory.resolve("planted");
        // a file of someone else's making
        try (ChildProcess mkfifo = ChildProcess.builder("mkfifo", fifo.toString()).start()) {
            assertThat(mkfifo.awaitExit(Duration.ofSeconds(10))).isZero();
        }

        // connect(2) to a FIFO is refused (ECONNREFUSED) exactly as to a socket nobody listens on
        assertThatThrownBy(() -> ServerEndpoint.bind(UnixDomainSocketAddress.of(fifo)))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a socket");
        assertThat(fifo).exists();
        assertThat(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther()).isTrue();
    }

    @Test
    void shouldCreateTheSocketFileForItsOwnerOnlyAndRemoveItOnClose() throws IOException {
        Path path = directory.resolve("mode.sock");
        try (ServerEndpoint server = ServerEndpoint.bind(UnixDomainSocketAddress.of(path))) {
            assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(directory))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            server.close();
            assertThat(path).doesNotExist();
            server.close(); // idempotent
        }
    }

    @Test
    void shouldLeaveASocketFileThatIsNoLongerItsOwn() throws IOException {
        Path path = directory.resolve("replaced.sock");
        ServerEndpoint first = ServerEndpoint.bind(UnixDomainSocketAddress.of(path));
        Files.delete(path); // someone removed it and a second server took the name
        try (ServerEndpoint second = ServerEndpoint.bind(UnixDomainSocketAddress.of(path))) {
            first.close();
            assertThat(path).as("the second server's file").exists();
            try (SocketChannel client = Connections.connect(second.address(), CONNECT)) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void shouldWakeAThreadBlockedInAcceptWhenClosed() throws Exception {
        ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0));
        CompletableFuture<Throwable> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                server.accept();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> threadBlockedIn("accept"));
        server.close();
        assertThat(accepting.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void shouldWakeAThreadBlockedInReadWhenTheChannelIsClosed() throws Exception {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0));
             SocketChannel client = Connections.connect(server.address(), CONNECT);
             SocketChannel accepted = server.accept()) {
            CompletableFuture<Throwable> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    accepted.read(ByteBuffer.allocate(1));
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> threadBlockedIn("read"));
            accepted.close();
            assertThat(reading.get(5, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void shouldStillAnswerAfterTheClientHalfClosed() throws Exception {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0));
             SocketChannel client = Connections.connect(server.address(), CONNECT);
             SocketChannel accepted = server.accept()) {
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            client.shutdownOutput(); // FIN: "I am done sending", not "goodbye"
            ByteBuffer request = ByteBuffer.allocate(16);
            while (accepted.read(request) >= 0) {
                assertThat(request.position()).isLessThanOrEqualTo(3);
            }
            assertThat(request.position()).isEqualTo(3);
            accepted.write(ByteBuffer.wrap(new byte[] {42}));
            accepted.close();
            ByteBuffer reply = ByteBuffer.allocate(4);
            while (client.read(reply) >= 0) {
                assertThat(reply.position()).isLessThanOrEqualTo(1);
            }
            assertThat(reply.flip().get()).isEqualTo((byte) 42);
        }
    }

    private static boolean threadBlockedIn(String method) {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getState() == Thread.State.RUNNABLE
                && e.getValue().length > 0 && java.util.Arrays.stream(e.getValue()).limit(4)
                .anyMatch(frame -> frame.getMethodName().equals(method) || frame.getMethodName().equals(method + "0")));
    }
}
