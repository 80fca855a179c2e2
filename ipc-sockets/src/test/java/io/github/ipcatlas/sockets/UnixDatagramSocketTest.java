package io.github.ipcatlas.sockets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.IpcNames;

/** Unix datagram sockets bound to paths and abstract names, with credentials; python3 as the program that is not ours. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixDatagramSocketTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldCarryWholeDatagramsWithTheSendersNameByPathAndByAbstractName() throws IOException {
        UnixAddress server = UnixAddress.parse(dir.resolve("server").toString());
        UnixAddress client = abstractName("t-dgram-client");
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
             UnixDatagramSocket sender = UnixDatagramSocket.bind(client)) {
            assertThat(sender.send(text("first"), server, DEADLINE)).isTrue();
            assertThat(sender.send(ByteBuffer.allocateDirect(9).put("second!!!".getBytes(UTF_8)).flip(), server,
                    DEADLINE)).isTrue();
            UnixDatagramSender from = new UnixDatagramSender();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertThat(receiver.receive(buffer, DEADLINE, from)).isEqualTo(5);
            assertThat(from.address()).isEqualTo(client);
            UnixAddress first = from.address();
            assertThat(receiver.receive(buffer, DEADLINE, from)).isEqualTo(9);
            assertThat(UTF_8.decode(buffer.flip()).toString()).isEqualTo("firstsecond!!!");
            assertThat(from.address()).as("the same sender, the same object: nothing allocated").isSameAs(first);
            assertThat(from.hasCredentials()).isFalse();
            assertThat(from.pid()).isEqualTo(-1);

            // and back, by the name the datagram came from
            assertThat(receiver.send(text("reply"), from.address(), DEADLINE)).isTrue();
            ByteBuffer reply = ByteBuffer.allocateDirect(16);
            assertThat(sender.receive(reply, DEADLINE, from)).isEqualTo(5);
            assertThat(from.address()).isEqualTo(server);
        }
    }

    @Test
    void shouldReportTheKernelsCredentialsOfTheSenderWhenAsked() throws IOException {
        UnixAddress server = abstractName("t-dgram-creds");
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
             UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            receiver.passCredentials(true);
            sender.connect(server);
            assertThat(sender.send(text("who am I"), DEADLINE)).isTrue();
            UnixDatagramSender from = new UnixDatagramSender();
            assertThat(receiver.receive(ByteBuffer.allocate(64), DEADLINE, from)).isEqualTo(8);
            assertThat(from.hasCredentials()).isTrue();
            assertThat(from.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(from.uid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertThat(from.gid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void shouldMakeAPathSocket0600RefuseAnExistingFileAndRemoveOnlyItsOwn() throws IOException {
        Path path = dir.resolve("dgram");
        UnixAddress address = UnixAddress.parse(path.toString());
        try (UnixDatagramSocket socket = UnixDatagramSocket.bind(address)) {
            assertThat(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> UnixDatagramSocket.bind(address)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("EADDRINUSE").hasMessageContaining("a file exists at this path");
        }
        assertThat(path).doesNotExist();
        Files.writeString(path, "not a socket");
        assertThatThrownBy(() -> UnixDatagramSocket.bind(address)).hasMessageContaining("EADDRINUSE");
        assertThat(Files.readString(path)).as("someone else's file is left alone").isEqualTo("not a socket");
    }

    @Test
    void shouldRefuseADatagramLongerThanTheBufferTimeOutAndNameAMissingReceiver() throws IOException {
        UnixAddress server = abstractName("t-dgram-trunc");
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
             UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            assertThat(receiver.receive(ByteBuffer.allocate(8), Duration.ofMillis(20))).isEqualTo(-1);
            sender.send(text("twelve bytes"), server, DEADLINE);
            ByteBuffer small = ByteBuffer.allocate(5);
            assertThatThrownBy(() -> receiver.receive(small, DEADLINE)).isInstanceOf(DatagramTruncatedException.class)
                    .hasMessageContaining("12");
            UnixAddress nobody = abstractName("t-dgram-nobody");
            assertThatThrownBy(() -> sender.send(text("hello?"), nobody, DEADLINE)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("ECONNREFUSED").hasMessageContaining(nobody.toString());
            assertThatThrownBy(() -> receiver.receive(ByteBuffer.allocate(4).asReadOnlyBuffer(), DEADLINE))
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void shouldReportAFullReceiverQueueAsFalseInsteadOfDroppingDatagrams() throws IOException {
        UnixAddress server = abstractName("t-dgram-full");
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
             UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            int sent = 0;
            while (sender.send(text("x"), server, Duration.ZERO)) {
                sent++;
                assertThat(sent).as("the receiver's queue fills up").isLessThan(100_000);
            }
            int received = 0;
            while (receiver.receive(ByteBuffer.allocate(4), Duration.ZERO) == 1) {
                received++;
            }
            assertThat(received).as("every datagram that was accepted arrived").isEqualTo(sent);
        }
    }

    @Test
    void shouldExchangeWithPythonAndCloseTheDescriptorsItAttaches() throws Exception {
        UnixAddress server = abstractName("t-dgram-py");
        Path secret = Files.writeString(dir.resolve("attached-file"), "x");
        try (java.nio.channels.FileChannel own = java.nio.channels.FileChannel.open(secret)) {
            assertThat(openDescriptorsOf(secret)).as("the check finds a descriptor the test opened").isEqualTo(1);
        }
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server)) {
            receiver.passCredentials(true);
            try (ChildProcess python = ChildProcess.builder("python3", "-c", String.join("\n",
                    "import array, os, socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                    "s.bind('\\0' + sys.argv[1] + '-py')",
                    "fd = os.open(sys.argv[2], os.O_RDONLY)",
                    "rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [fd]))]",
                    "s.sendmsg([b'with a descriptor'], rights, 0, '\\0' + sys.argv[1])",
                    "s.settimeout(20)",
                    "print(s.recv(100).decode(), flush=True)"), server.name(), secret.toString()).start()) {
                UnixDatagramSender from = new UnixDatagramSender();
                ByteBuffer buffer = ByteBuffer.allocate(64);
                assertThat(receiver.receive(buffer, DEADLINE, from)).isEqualTo(17);
                assertThat(UTF_8.decode(buffer.flip()).toString()).isEqualTo("with a descriptor");
                assertThat(from.pid()).as("the kernel names the python process").isEqualTo(python.pid());
                assertThat(from.address()).isEqualTo(UnixAddress.parse("@" + server.name() + "-py"));
                assertThat(openDescriptorsOf(secret)).as("the attached descriptor was closed, not kept").isZero();

                assertThat(receiver.send(text("hello python"), from.address(), DEADLINE)).isTrue();
                assertThat(python.nextLine(DEADLINE)).isEqualTo("hello python");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }
        }
    }

    @Test
    void shouldLetEachReceivingThreadWaitOnItsOwnDeadline() throws Exception {
        UnixAddress server = abstractName("t-dgram-threads");
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server)) {
            java.util.concurrent.Future<Integer> patient = threads.submit(() -> receiver.receive(ByteBuffer.allocate(8), DEADLINE));
            java.util.concurrent.Future<Integer> hasty = threads.submit(() -> receiver.receive(ByteBuffer.allocate(8),
                    Duration.ofMillis(100)));
            assertThat(hasty.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(patient.isDone()).as("the short wait ended while the long one still waited").isFalse();
            try (UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
                sender.send(text("late"), server, DEADLINE);
            }
            assertThat(patient.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldEndAWaitingReceiveAndFreeTheNameWhenClosed() throws Exception {
        UnixAddress server = abstractName("t-dgram-close");
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
            java.util.concurrent.Future<Integer> waiting = thread.submit(() -> receiver.receive(ByteBuffer.allocate(8), DEADLINE));
            receiver.close();
            try (UnixDatagramSocket again = UnixDatagramSocket.bind(server)) {
                assertThat(again.address()).as("the name was free when close returned").isEqualTo(server);
            }
            assertThatThrownBy(() -> waiting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void shouldReportASenderWhoseNameNoAddressCanHoldAsUnnamedNotAsAnother() throws Exception {
        UnixAddress server = abstractName("t-dgram-names");
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(server);
             ChildProcess python = ChildProcess.builder("python3", "-c", String.join("\n",
                     "import socket, sys",
                     "for name in (b'\\0' + sys.argv[2].encode() + b'\\0x', b'\\0\\xff'):",
                     "    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                     "    s.bind(name)",
                     "    s.sendto(b'hi', b'\\0' + sys.argv[1].encode())"), server.name(), "t-posing").start()) {
            assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            UnixDatagramSender from = new UnixDatagramSender();
            for (int i = 0; i < 2; i++) {
                assertThat(receiver.receive(ByteBuffer.allocate(8), DEADLINE, from)).isEqualTo(2);
                assertThat(from.address()).as("a NUL inside, or no UTF-8: not @t-posing, not anyone").isNull();
            }
        }
    }

    @Test
    void shouldNameTheChildAsTheSenderInTheDemo() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        new io.github.ipcatlas.sockets.examples.UnixDatagramExample().run(new java.io.PrintStream(bytes, true, UTF_8));
        assertThat(bytes.toString(UTF_8)).isEqualTo("Hello from the child process\nsent by the child: true\n");
        assertThat(java.util.ServiceLoader.load(io.github.ipcatlas.core.Demo.class).stream().map(p -> p.get().name()))
                .contains("unix-datagram");
    }

    /**
     * Descriptors of this process open on {@code file}, matched by device and inode: a link's text would be the
     * real path, which differs from {@code file} wherever java.io.tmpdir has a symbolic link in it.
     */
    private static long openDescriptorsOf(Path file) throws IOException {
        Object key = fileKey(file);
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return key.equals(fileKey(fd));
                } catch (java.nio.file.NoSuchFileException closedMeanwhile) {
                    return false; // the listing's own descriptor, or another thread's, went away
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).count();
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return java.util.Objects.requireNonNull(
                Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "file key");
    }

    private static UnixAddress abstractName(String prefix) {
        return UnixAddress.parse("@" + IpcNames.unique(prefix).substring(1));
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8));
    }
}
