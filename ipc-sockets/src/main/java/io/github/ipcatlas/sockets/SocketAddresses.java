package io.github.ipcatlas.sockets;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Building and checking socket addresses before any system call sees them: TCP/UDP addresses that default to the
 * loopback interface, and Unix domain paths that fit the kernel's {@code sun_path}.
 *
 * <p>Thread-safe: stateless.
 */
public final class SocketAddresses {
    /**
     * Longest Unix socket path in bytes that works here: {@code sun_path} is 108 bytes on Linux, and the kernel would
     * take 107 and a terminating NUL ({@code unix(7)}), but the JDK keeps two bytes back
     * ({@code sizeof(sun_path) - 2}) and refuses a 107-byte path with a bare "Unix domain path too long".
     */
    public static final int MAX_UNIX_PATH_BYTES = 106;

    private SocketAddresses() {
    }

    /** The loopback address with {@code port} (0 lets the kernel choose): what servers bind to by default. */
    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), checkPort(port, String.valueOf(port)));
    }

    /**
     * Parses {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}; a bare port means loopback, never all
     * interfaces (ask for {@code 0.0.0.0:PORT} to listen on every one). The host is resolved now.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address or the port is out of range
     */
    public static InetSocketAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address: expected PORT, HOST:PORT or [IPV6]:PORT");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return loopback(parsePort(text, text));
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("address \"" + text + "\": write IPv6 hosts in brackets, [::1]:PORT");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("address \"" + text + "\" has no host before the colon");
        }
        int port = parsePort(text.substring(colon + 1), text);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address \"" + text + "\": host \"" + host + "\" does not resolve");
        }
        return address;
    }

    /**
     * A Unix domain address for {@code path}, checked against {@link #MAX_UNIX_PATH_BYTES}. The JDK would otherwise
     * report an overlong path only at {@code bind}/{@code connect} time, without saying what the limit is.
     *
     * @throws IllegalArgumentException naming the path, its length and the limit
     */
    public static UnixDomainSocketAddress unix(Path path) {
        if (path == null || path.toString().isEmpty()) {
            throw new IllegalArgumentException("empty Unix socket path");
        }
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException("Unix socket path " + path + " is " + bytes + " bytes; the limit is "
                    + MAX_UNIX_PATH_BYTES + " (108-byte sun_path in unix(7), less the 2 bytes the JDK keeps): use a "
                    + "shorter directory, or a relative path");
        }
        if (path.toString().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Unix socket path " + path.toString().replace('\0', '@')
                    + " contains a NUL byte (abstract names are not supported by the JDK)");
        }
        return UnixDomainSocketAddress.of(path);
    }

    /**
     * The protocol family a channel for {@code address} must be opened with.
     *
     * @throws IllegalArgumentException for an address that is neither IP nor Unix domain
     */
    public static StandardProtocolFamily family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET;
        }
        throw new IllegalArgumentException("unsupported address " + address);
    }

    /**
     * {@code 127.0.0.1:4242}, {@code [::1]:4242} or a Unix path: the form {@link #parse} and {@link #unix} take
     * back, so a printed address can be handed to another process.
     */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return String.valueOf(address);
    }

    private static int parsePort(String port, String whole) {
        try {
            return checkPort(Integer.parseInt(port.trim()), whole);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address \"" + whole + "\": port \"" + port + "\" is not a number");
        }
    }

    private static int checkPort(int port, String whole) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("address \"" + whole + "\": port " + port
                    + " is outside 0..65535");
        }
        return port;
    }
}
