package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.pipes.AnonymousPipe;

@Timeout(30)
class UnixSocketPairTest {

    @Test
    void shouldCarryBytesBothWays() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM)) {
            pair.first().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            pair.second().write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer got = ByteBuffer.allocate(4);
            pair.second().read(got);
            assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            pair.first().read(got.clear());
            assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("pong");
        }
    }

    @Test
    void shouldKeepBoundariesOfUnixDatagrams() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.DATAGRAM)) {
            pair.first().write(ByteBuffer.wrap(new byte[] {1, 2}));
            pair.first().write(ByteBuffer.wrap(new byte[] {3}));
            ByteBuffer got = ByteBuffer.allocate(10);
            assertThat(pair.second().read(got)).isEqualTo(2);
            assertThat(pair.second().read(got.clear())).isEqualTo(1);
        }
    }

    @Test
    void shouldReportThePeersCredentials() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM);
             ChildProcess id = ChildProcess.builder("id", "-u").start()) {
            PeerCredentials peer = PeerCredentials.of(pair.first());
            assertThat(peer.pid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(peer.uid()).isEqualTo(Integer.parseInt(id.nextLine(Duration.ofSeconds(10)).trim()));
        }
    }

    @Test
    void shouldHandOverAnOpenPipeEnd() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM);
             AnonymousPipe pipe = AnonymousPipe.open()) {
            DescriptorPassing.send(pair.first(), ByteBuffer.wrap(new byte[] {'!'}), pipe.writeEnd());
            ByteBuffer payload = ByteBuffer.allocate(8);
            DescriptorPassing.Received received = DescriptorPassing.receive(pair.second(), payload, 4);
            assertThat(received.bytes()).isEqualTo(1);
            assertThat(payload.get(0)).isEqualTo((byte) '!');
            assertThat(received.descriptors()).hasSize(1);
            try (FdChannel handed = received.descriptors().get(0)) {
                assertThat(handed.fd()).isNotEqualTo(pipe.writeEnd().fd());
                handed.write(ByteBuffer.wrap("through the copy".getBytes(StandardCharsets.US_ASCII)));
            }
            ByteBuffer got = ByteBuffer.allocate(32);
            pipe.readEnd().read(got);
            assertThat(StandardCharsets.US_ASCII.decode(got.flip()).toString()).isEqualTo("through the copy");
        }
    }

    @Test
    void shouldRefuseBadDescriptorPassingArguments() throws Exception {
        try (UnixSocketPair pair = UnixSocketPair.open(UnixSocketPair.Type.STREAM)) {
            assertThatThrownBy(() -> DescriptorPassing.send(pair.first(), ByteBuffer.allocate(0), pair.second()))
                    .hasMessageContaining("at least one data byte");
            assertThatThrownBy(() -> DescriptorPassing.send(pair.first(), ByteBuffer.allocate(1)))
                    .hasMessageContaining("0 descriptors");
            assertThatThrownBy(() -> DescriptorPassing.receive(pair.first(), ByteBuffer.allocate(1), 0))
                    .hasMessageContaining("maxDescriptors 0");
        }
    }
}
