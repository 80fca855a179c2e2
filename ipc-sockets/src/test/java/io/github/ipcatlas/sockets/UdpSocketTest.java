package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpSocketTest {

    @Test
    void shouldKeepDatagramBoundaries() throws Exception {
        try (UdpSocket a = UdpSocket.bind(SocketAddresses.loopback(0));
             UdpSocket b = UdpSocket.bind(SocketAddresses.loopback(0))) {
            a.connect(b.localAddress());
            b.connect(a.localAddress());
            a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            a.send(ByteBuffer.wrap(new byte[] {4}));
            ByteBuffer into = ByteBuffer.allocate(100);
            assertThat(b.receive(into.clear())).isEqualTo(3);
            assertThat(b.receive(into.clear())).isEqualTo(1);
            assertThat(into.get(0)).isEqualTo((byte) 4);
        }
    }

    @Test
    void shouldDetectTruncationAndKeepThePrefix() throws Exception {
        try (UdpSocket a = UdpSocket.bind(SocketAddresses.loopback(0));
             UdpSocket b = UdpSocket.bind(SocketAddresses.loopback(0))) {
            byte[] big = new byte[1000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            a.send(ByteBuffer.wrap(big), b.localAddress());
            a.send(ByteBuffer.wrap(new byte[] {7}), b.localAddress());
            ByteBuffer small = ByteBuffer.allocate(100);
            assertThatThrownBy(() -> b.receiveFrom(small))
                    .isInstanceOfSatisfying(DatagramTruncatedException.class, e -> {
                        assertThat(e.datagramBytes()).isEqualTo(1000);
                        assertThat(e.bufferBytes()).isEqualTo(100);
                    }).hasMessageContaining("1000-byte datagram");
            assertThat(small.position()).isEqualTo(100);
            assertThat(small.get(99)).isEqualTo((byte) 99);
            SocketAddress sender = b.receiveFrom(small.clear());
            assertThat(sender).isEqualTo(a.localAddress());
            assertThat(small.position()).as("the next datagram, not the rest of the first").isEqualTo(1);
        }
    }

    @Test
    void shouldTimeOutAReceiveAsAResult() throws Exception {
        try (UdpSocket socket = UdpSocket.bind(SocketAddresses.loopback(0))) {
            assertThat(socket.receiveFrom(ByteBuffer.allocate(10), Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void shouldRefuseBadSizesAndBusyPorts() throws Exception {
        try (UdpSocket socket = UdpSocket.bind(SocketAddresses.loopback(0))) {
            assertThatThrownBy(() -> socket.send(ByteBuffer.allocate(70_000), socket.localAddress()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000-byte datagram");
            assertThatThrownBy(() -> UdpSocket.bind(socket.localAddress())).isInstanceOf(BindException.class)
                    .hasMessageContaining(String.valueOf(socket.localAddress().getPort()));
        }
    }
}
