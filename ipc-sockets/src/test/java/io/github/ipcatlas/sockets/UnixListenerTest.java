package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.core.IpcTimeoutException;

/** Unix stream sockets by path and by abstract name, through jnr; python3 on the other end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixListenerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldListenAtAPathMode0600TalkBothWaysAndRemoveItsFile() throws Exception {
        Path path = dir.resolve("s");
        UnixAddress address = UnixAddress.parse(path.toString());
        try (UnixListener listener = UnixListener.bind(address)) {
            assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (FdChannel client = UnixStreams.connect(address, DEADLINE);
                 FdChannel server = listener.accept(DEADLINE)) {
                assertThat(client.isNonBlocking()).isFalse();
                client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(4);
                assertThat(server.read(in, DEADLINE)).isEqualTo(4);
                assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
            assertThatThrownBy(() -> listener.accept(Duration.ofMillis(50))).isInstanceOf(IpcTimeoutException.class)
                    .hasMessageContaining("waiting for a connection on " + path);
        }
        assertThat(path).doesNotExist();
        assertThatThrownBy(() -> UnixStreams.connect(address, DEADLINE)).hasMessageContaining("ENOENT")
                .hasMessageContaining("no socket at this path");
    }

    @Test
    void shouldNeverReplaceAFileNorRemoveOneThatIsNotItsOwn() throws Exception {
        Path taken = Files.writeString(dir.resolve("taken"), "mine");
        assertThatThrownBy(() -> UnixListener.bind(UnixAddress.parse(taken.toString()))).hasMessageContaining("EADDRINUSE")
                .hasMessageContaining("a file exists at this path");
        assertThat(Files.readString(taken)).isEqualTo("mine");
        Path path = dir.resolve("moved");
        try (UnixListener listener = UnixListener.bind(UnixAddress.parse(path.toString()))) {
            Files.move(path, dir.resolve("elsewhere"));
            Files.writeString(path, "someone else's");
        }
        assertThat(Files.readString(path)).isEqualTo("someone else's");
    }

    @Test
    void shouldUseTheAbstractNamespaceWithNoFileAndRefuseASecondListener() throws Exception {
        UnixAddress address = UnixAddress.parse("@" + IpcNames.unique("t-abstract"));
        try (UnixListener listener = UnixListener.bind(address)) {
            assertThat(Files.readAllLines(Path.of("/proc/net/unix"))).anyMatch(line -> line.endsWith(" " + address));
            assertThatThrownBy(() -> UnixListener.bind(address)).hasMessageContaining("EADDRINUSE")
                    .hasMessageContaining("another socket has this abstract name");
            try (FdChannel client = UnixStreams.connect(address, DEADLINE);
                 FdChannel server = listener.accept(DEADLINE)) {
                server.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer in = ByteBuffer.allocate(1);
                assertThat(client.read(in, DEADLINE)).isEqualTo(1);
                assertThat(in.get(0)).isEqualTo((byte) 42);
            }
        }
        assertThatThrownBy(() -> UnixStreams.connect(address, DEADLINE)).hasMessageContaining("ECONNREFUSED")
                .hasMessageContaining("nothing listens there");
    }

    @Test
    void shouldEndAnAcceptThatAnotherThreadClosesAndFreeTheName() throws Exception {
        UnixAddress address = UnixAddress.parse("@" + IpcNames.unique("t-abs-close"));
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            UnixListener listener = UnixListener.bind(address);
            java.util.concurrent.atomic.AtomicReference<Thread> acceptor = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.Future<FdChannel> accepting = executor.submit(() -> {
                acceptor.set(Thread.currentThread());
                return listener.accept(Duration.ofSeconds(60));
            });
            org.awaitility.Awaitility.await().atMost(DEADLINE).until(() -> acceptor.get() != null && java.util.Arrays
                    .stream(acceptor.get().getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("accept")));
            listener.close();
            assertThatThrownBy(() -> accepting.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
            try (UnixListener again = UnixListener.bind(address)) { // the name is free once the accept returned
                assertThat(again.address()).isEqualTo(address);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldRefuseEmptyOverlongOrNulNamesBeforeAnyCall() {
        assertThatThrownBy(() -> UnixAddress.parse("@")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name @ is 0 bytes");
        assertThatThrownBy(() -> UnixAddress.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnixAddress.parse("/tmp/" + "x".repeat(103))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is 108 bytes; give 1 to 107");
        assertThatThrownBy(() -> UnixAddress.parse("@a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(UnixAddress.parse("@x").isAbstract()).isTrue();
        assertThatThrownBy(() -> UnixAddress.parse("@x").path()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldTalkToPythonOverAnAbstractNameBothWays() throws Exception {
        UnixAddress ours = UnixAddress.parse("@" + IpcNames.unique("t-abs-java"));
        UnixAddress theirs = UnixAddress.parse("@" + IpcNames.unique("t-abs-py"));
        String script = "import socket, sys\n"
                + "c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                + "c.connect('\\0' + sys.argv[1])\n"
                + "c.sendall(b'from python')\n"
                + "c.close()\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                + "s.bind('\\0' + sys.argv[2])\n"
                + "s.listen(1)\n"
                + "print('listening', flush=True)\n"
                + "conn, _ = s.accept()\n"
                + "print(conn.recv(100).decode(), flush=True)\n";
        try (UnixListener listener = UnixListener.bind(ours);
             ChildProcess python = ChildProcess.builder("python3", "-c", script, ours.name(), theirs.name()).start()) {
            try (FdChannel fromPython = listener.accept(DEADLINE)) {
                ByteBuffer in = ByteBuffer.allocate(64);
                while (fromPython.read(in, DEADLINE) > 0) {
                    // until python closes
                }
                assertThat(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)).isEqualTo("from python");
            }
            python.awaitLine("listening", DEADLINE);
            try (FdChannel toPython = UnixStreams.connect(theirs, DEADLINE)) {
                toPython.write(ByteBuffer.wrap("from java".getBytes(StandardCharsets.US_ASCII)));
            }
            assertThat(python.nextLine(DEADLINE)).isEqualTo("from java");
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }
}
