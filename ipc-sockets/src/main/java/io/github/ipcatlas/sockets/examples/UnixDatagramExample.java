package io.github.ipcatlas.sockets.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.Demo;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.sockets.UnixAddress;
import io.github.ipcatlas.sockets.UnixDatagramSender;
import io.github.ipcatlas.sockets.UnixDatagramSocket;

/**
 * A datagram socket on an abstract Unix name, as a logging daemon has: a child JVM sends one datagram to it, and the
 * receiver learns who sent it from the kernel ({@code SO_PASSCRED}), not from the message — the sender's pid, which it
 * could not have forged.
 */
public final class UnixDatagramExample implements Demo {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        new UnixDatagramExample().run(System.out);
    }

    @Override
    public String name() {
        return "unix-datagram";
    }

    @Override
    public String summary() {
        return "a child sends a datagram to an abstract Unix name; the kernel tells the receiver the sender's pid";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        UnixAddress name = UnixAddress.parse("@" + IpcNames.unique("demo-log").substring(1));
        try (UnixDatagramSocket log = UnixDatagramSocket.bind(name)) {
            log.passCredentials(true);
            try (ChildProcess child = ChildJvm.builder(Sender.class).args(name.toString()).quickStart().start()) {
                ByteBuffer datagram = ByteBuffer.allocate(256);
                UnixDatagramSender sender = new UnixDatagramSender();
                if (log.receive(datagram, DEADLINE, sender) < 0) {
                    throw new IllegalStateException("nothing came in " + DEADLINE + ": " + child.stderr());
                }
                out.println(StandardCharsets.UTF_8.decode(datagram.flip()));
                out.println("sent by the child: " + (sender.pid() == child.pid()));
                child.awaitExit(DEADLINE);
            }
        }
    }

    /** The child: one datagram to the name it was given. */
    public static final class Sender {
        private Sender() {
        }

        public static void main(String[] args) throws Exception {
            try (UnixDatagramSocket socket = UnixDatagramSocket.unbound()) {
                if (!socket.send(ByteBuffer.wrap("Hello from the child process".getBytes(StandardCharsets.UTF_8)),
                        UnixAddress.parse(args[0]), DEADLINE)) {
                    throw new IllegalStateException("the receiver's queue stayed full for " + DEADLINE);
                }
            }
        }
    }
}
