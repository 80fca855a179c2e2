/**
 * TCP, UDP and Unix domain sockets with {@code java.nio}: the one mechanism that crosses machines.
 *
 * <p>Lifecycle of a stream server: {@link io.github.ipcatlas.sockets.ServerEndpoint#bind bind} (loopback by
 * default; a Unix path is checked, reclaimed if stale, made 0600) → accept → read/write with framing
 * ({@link io.github.ipcatlas.sockets.FrameReader}/{@link io.github.ipcatlas.sockets.FrameWriter}, or
 * {@link io.github.ipcatlas.sockets.DelimitedReader}) → close (which removes the Unix socket file). Two servers
 * are ready-made: {@link io.github.ipcatlas.sockets.BlockingServer} (a thread per connection) and
 * {@link io.github.ipcatlas.sockets.SelectorServer} (one thread, many connections). Clients connect with a deadline
 * through {@link io.github.ipcatlas.sockets.Connections}. UDP: {@link io.github.ipcatlas.sockets.UdpSocket}.
 * What the JDK lacks: {@link io.github.ipcatlas.sockets.UnixSocketPair},
 * {@link io.github.ipcatlas.sockets.DescriptorPassing}, {@link io.github.ipcatlas.sockets.PeerCredentials}.
 */
package io.github.ipcatlas.sockets;
