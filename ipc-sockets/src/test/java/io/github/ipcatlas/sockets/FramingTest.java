package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FramingTest {

    @Test
    void shouldReassembleFramesWrittenOneByteAtATime() throws Exception {
        try (ServerEndpoint server = ServerEndpoint.bind(SocketAddresses.loopback(0));
             SocketChannel client = Connections.connect(server.address(), Duration.ofSeconds(5));
             SocketChannel accepted = server.accept()) {
            List<String> messages = List.of("", "a", "hello", "x".repeat(5000));
            FrameWriter writer = new FrameWriter(8192);
            Pipe staging = Pipe.open();
            // Encode through the writer once, then trickle the bytes one per write(2).
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (String m : messages) {
                        writer.write(staging.sink(), ByteBuffer.wrap(m.getBytes(StandardCharsets.UTF_8)));
                    }
                    staging.sink().close();
                    ByteBuffer one = ByteBuffer.allocate(1);
                    while (staging.source().read(one.clear()) >= 0) {
                        client.write(one.flip());
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            FrameReader reader = new FrameReader(8192);
            ByteBuffer into = ByteBuffer.allocate(8192);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                int length = reader.read(accepted, into.clear());
                assertThat(length).isEqualTo(into.position());
                received.add(StandardCharsets.UTF_8.decode(into.flip()).toString());
            }
            trickle.get(10, TimeUnit.SECONDS);
            client.shutdownOutput();
            assertThat(received).isEqualTo(messages);
            assertThat(reader.read(accepted, into.clear())).isEqualTo(FrameReader.END_OF_STREAM);
        }
    }

    @Test
    void shouldRefuseAnOversizedFrameBeforeAllocatingOrReadingIt() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(7).flip());
        FrameReader reader = new FrameReader(1024);
        ByteBuffer into = ByteBuffer.allocate(1024);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        refuseOnce(); // the first refusal loads classes, which allocates; what is measured is the refusal itself
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable refused = null;
        try {
            reader.read(pipe.source(), into);
        } catch (FrameTooLargeException e) {
            refused = e;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(refused).isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("2147483647 bytes").hasMessageContaining("limit of 1024");
        assertThat(allocated).as("bytes allocated while refusing a 2 GiB frame").isLessThan(64 * 1024);
        ByteBuffer rest = ByteBuffer.allocate(4);
        assertThat(pipe.source().read(rest)).as("the body was not read").isEqualTo(4);
        assertThat(into.position()).isZero();
    }

    private static void refuseOnce() throws java.io.IOException {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip());
        try {
            new FrameReader(16).read(pipe.source(), ByteBuffer.allocate(16));
        } catch (FrameTooLargeException expected) {
            // loaded
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void shouldTreatAnUnsignedLengthAboveTwoGibibytesAsTooLarge() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.allocate(4).putInt(-1).flip());
        assertThatThrownBy(() -> new FrameReader(16).read(pipe.source(), ByteBuffer.allocate(16)))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("4294967295");
    }

    @Test
    void shouldReportEndOfStreamInsideAFrame() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.allocate(6).putInt(10).put((byte) 1).put((byte) 2).flip());
        pipe.sink().close();
        assertThatThrownBy(() -> new FrameReader(16).read(pipe.source(), ByteBuffer.allocate(16)))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 2 of a 10-byte message");
    }

    @Test
    void shouldKeepItsPlaceOnANonBlockingChannel() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        FrameReader reader = new FrameReader(16);
        ByteBuffer into = ByteBuffer.allocate(16);
        assertThat(reader.read(pipe.source(), into)).isEqualTo(FrameReader.INCOMPLETE);
        pipe.sink().write(ByteBuffer.allocate(3).put((byte) 0).put((byte) 0).put((byte) 0).flip());
        assertThat(reader.read(pipe.source(), into)).isEqualTo(FrameReader.INCOMPLETE);
        pipe.sink().write(ByteBuffer.allocate(3).put((byte) 3).put((byte) 'a').put((byte) 'b').flip());
        assertThat(reader.read(pipe.source(), into)).isEqualTo(FrameReader.INCOMPLETE);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {'c'}));
        assertThat(reader.read(pipe.source(), into)).isEqualTo(3);
        assertThat(StandardCharsets.US_ASCII.decode(into.flip()).toString()).isEqualTo("abc");
    }

    @Test
    void shouldRefuseToSendAFrameAboveTheLimit() {
        FrameWriter writer = new FrameWriter(4);
        assertThatThrownBy(() -> writer.begin(ByteBuffer.allocate(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5-byte message");
        assertThatThrownBy(() -> new FrameReader(-1)).hasMessageContaining("-1");
    }

    @Test
    void shouldSplitDelimitedMessagesHoweverTheyArrive() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap("one\ntw".getBytes(StandardCharsets.US_ASCII)));
        pipe.sink().write(ByteBuffer.wrap("o\n\nthree\n".getBytes(StandardCharsets.US_ASCII)));
        pipe.sink().close();
        DelimitedReader reader = new DelimitedReader((byte) '\n', 64);
        ByteBuffer into = ByteBuffer.allocate(64);
        List<String> got = new ArrayList<>();
        int n;
        while ((n = reader.read(pipe.source(), into.clear())) >= 0) {
            assertThat(n).isEqualTo(into.position());
            got.add(StandardCharsets.US_ASCII.decode(into.flip()).toString());
        }
        assertThat(n).isEqualTo(FrameReader.END_OF_STREAM);
        assertThat(got).containsExactly("one", "two", "", "three");
    }

    @Test
    void shouldRefuseADelimitedMessageThatNeverEnds() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture.runAsync(() -> {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[100_000]));
            } catch (java.io.IOException ignored) {
                // the reader gave up first
            }
        });
        DelimitedReader reader = new DelimitedReader((byte) '\n', 100);
        assertThatThrownBy(() -> reader.read(pipe.source(), ByteBuffer.allocate(100)))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("without a delimiter")
                .hasMessageContaining("limit of 100");
        pipe.source().close();
    }

    @Test
    void shouldRefuseAnOverlongDelimitedMessageWhetherItArrivesAtOnceOrByteByByte() throws Exception {
        byte[] overlong = ("x".repeat(101) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] longest = ("y".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> readDelimited(overlong, overlong.length))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("limit of 100");
        assertThatThrownBy(() -> readDelimited(overlong, 1))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("limit of 100");
        assertThat(readDelimited(longest, longest.length)).isEqualTo(100);
        assertThat(readDelimited(longest, 1)).isEqualTo(100);
    }

    /** Feeds {@code bytes} to a 100-byte-limit reader {@code step} bytes per write, and returns what it read. */
    private static int readDelimited(byte[] bytes, int step) throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        DelimitedReader reader = new DelimitedReader((byte) '\n', 100);
        ByteBuffer into = ByteBuffer.allocate(4096);
        for (int offset = 0; offset < bytes.length; offset += step) {
            pipe.sink().write(ByteBuffer.wrap(bytes, offset, Math.min(step, bytes.length - offset)));
            int length = reader.read(pipe.source(), into);
            if (length != FrameReader.INCOMPLETE) {
                return length;
            }
        }
        return FrameReader.INCOMPLETE;
    }

    @Test
    void shouldReportAnUnterminatedLastMessage() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.US_ASCII)));
        pipe.sink().close();
        assertThatThrownBy(() -> new DelimitedReader((byte) '\n', 64).read(pipe.source(), ByteBuffer.allocate(64)))
                .isInstanceOf(EOFException.class).hasMessageContaining("7 bytes without a delimiter");
    }

    @Test
    void shouldRefuseToWriteAMessageContainingTheDelimiter() throws Exception {
        Pipe pipe = Pipe.open();
        DelimitedWriter writer = new DelimitedWriter((byte) '\n');
        assertThatThrownBy(() -> writer.write(pipe.sink(), ByteBuffer.wrap("a\nb".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 1");
        writer.write(pipe.sink(), ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer got = ByteBuffer.allocate(3);
        pipe.source().read(got);
        assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("ab\n");
    }
}
