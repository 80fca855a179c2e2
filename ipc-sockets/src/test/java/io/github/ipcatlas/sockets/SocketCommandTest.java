package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.sockets.cli.SocketCommand;
import io.github.ipcatlas.sockets.examples.SocketExample;

/** {@code socket echo-server|send} as real processes, with the command contract's output and exit codes; the demo. */
@Timeout(90)
class SocketCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldEchoWhatSendSendsOverEachTransport() throws Exception {
        Path directory = ServerEndpoint.privateDirectory("t-uds-");
        Path path = directory.resolve("cli.sock");
        try {
            String abstractName = "@" + io.github.ipcatlas.core.IpcNames.unique("t-cli").substring(1);
            for (String[] transport : new String[][] {{"--tcp", "0"}, {"--udp", "0"}, {"--unix", path.toString()},
                    {"--unix", abstractName}}) {
                try (ChildProcess server = socket("echo-server", transport[0], transport[1], "--count", "2")) {
                    String listening = server.nextLine(DEADLINE);
                    assertThat(listening).startsWith("listening on ");
                    String address = listening.substring("listening on ".length());
                    if (transport[0].equals("--unix")) {
                        assertThat(address).isEqualTo(transport[1]);
                    } else {
                        assertThat(address).startsWith("127.0.0.1:").doesNotEndWith(":0");
                    }
                    for (String text : new String[] {"first line", "second"}) {
                        try (ChildProcess send = socket("send", transport[0], address, text, "--timeout", "20000")) {
                            ChildProcess.Outcome outcome = send.finish(DEADLINE);
                            assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly(text);
                            assertThat(outcome.exitCode()).isZero();
                        }
                    }
                    assertThat(server.awaitExit(DEADLINE)).as("--count 2 ends the server").isZero();
                }
            }
            assertThat(path).as("the server removed its socket file").doesNotExist();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(directory);
        }
    }

    @Test
    void shouldEchoToAPythonClientOnAnAbstractName() throws Exception {
        String name = io.github.ipcatlas.core.IpcNames.unique("t-cli-py").substring(1);
        try (ChildProcess server = socket("echo-server", "--unix", "@" + name, "--count", "1")) {
            assertThat(server.nextLine(DEADLINE)).isEqualTo("listening on @" + name);
            try (ChildProcess python = ChildProcess.builder("python3", "-c", String.join("\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "s.settimeout(20)",
                    "s.connect('\\0' + sys.argv[1])",
                    "s.sendall(b'from python')",
                    "s.shutdown(socket.SHUT_WR)",
                    "data = b''",
                    "while True:",
                    "    chunk = s.recv(100)",
                    "    if not chunk: break",
                    "    data += chunk",
                    "print(data.decode())"), name).start()) {
                ChildProcess.Outcome outcome = python.finish(DEADLINE);
                assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("from python");
            }
            assertThat(server.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldNotCountAnotherServersStaleSocketProbeAsAClient() throws Exception {
        Path directory = ServerEndpoint.privateDirectory("t-uds-");
        Path path = directory.resolve("counted.sock");
        try (ChildProcess server = socket("echo-server", "--unix", path.toString(), "--count", "1")) {
            assertThat(server.nextLine(DEADLINE)).startsWith("listening on ");
            // A second server on the same path probes it, finds it alive, and gives up: that was no client.
            assertThatThrownBy(() -> ServerEndpoint.bind(java.net.UnixDomainSocketAddress.of(path)))
                    .isInstanceOf(java.net.BindException.class).hasMessageContaining("a server is listening");
            try (ChildProcess send = socket("send", "--unix", path.toString(), "the one client", "--timeout",
                    "20000")) {
                ChildProcess.Outcome outcome = send.finish(DEADLINE);
                assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("the one client");
            }
            assertThat(server.awaitExit(DEADLINE)).as("--count 1 ends the server after the real client").isZero();
            assertThat(path).doesNotExist();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(directory);
        }
    }

    @Test
    void shouldExitWith1WhenNobodyListensAnd2OnAUsageError() throws Exception {
        int freePort;
        try (ServerEndpoint probe = ServerEndpoint.bind(SocketAddresses.loopback(0))) {
            freePort = ((java.net.InetSocketAddress) probe.address()).getPort();
        }
        try (ChildProcess send = socket("send", "--tcp", "127.0.0.1:" + freePort, "hi")) {
            ChildProcess.Outcome outcome = send.finish(DEADLINE);
            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.stderr()).contains("nobody listens").contains(":" + freePort);
        }
        try (ChildProcess both = socket("send", "--tcp", "1", "--udp", "2", "hi");
             ChildProcess badPort = socket("echo-server", "--tcp", "99999");
             ChildProcess longPath = socket("echo-server", "--unix", "/tmp/" + "x".repeat(120));
             ChildProcess emptyName = socket("send", "--unix", "@", "hi")) {
            ChildProcess.Outcome empty = emptyName.finish(DEADLINE);
            assertThat(empty.exitCode()).isEqualTo(2);
            assertThat(empty.stderr()).contains("Unix socket name @ is 0 bytes");
            assertThat(both.finish(DEADLINE).exitCode()).isEqualTo(2);
            ChildProcess.Outcome port = badPort.finish(DEADLINE);
            assertThat(port.exitCode()).isEqualTo(2);
            assertThat(port.stderr()).contains("port 99999 is outside 0..65535");
            ChildProcess.Outcome path = longPath.finish(DEADLINE);
            assertThat(path.exitCode()).isEqualTo(2);
            assertThat(path.stderr()).contains("the limit is 106");
        }
    }

    @Test
    void shouldTimeOutWaitingForAUdpReply() throws Exception {
        try (UdpSocket silent = UdpSocket.bind(SocketAddresses.loopback(0));
             ChildProcess send = socket("send", "--udp", "127.0.0.1:" + silent.localAddress().getPort(), "hello?",
                     "--timeout", "300")) {
            ChildProcess.Outcome outcome = send.finish(DEADLINE);
            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.stderr()).contains("timed out");
        }
    }

    @Test
    void shouldPrintWhatTheSeedsClientWouldReceive() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SocketExample().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Hello from server\n");
        assertThat(ServiceLoader.load(Demo.class).stream().map(p -> p.get().name())).contains("socket");
    }

    private static ChildProcess socket(String... args) throws IOException {
        return ChildJvm.builder(SocketCommand.class).args(args).quickStart().start();
    }
}
