package io.github.ipcatlas.core.bench;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.linux.BufferIo;

/**
 * The Java echo for {@code src/test/c/echoclient.c}: reads 64-byte messages from its stdin and writes them back to its
 * stdout until end of stream, through path A or path B, switching every 500 messages as the client switches its halves.
 * Comparing two paths in one process gives both the same placement of the VM's vCPUs, which differs from one process
 * to the next by more than the paths do.
 *
 * <pre>{@code
 * echoclient 30000 40000 -- java -cp <test classpath> io.github.ipcatlas.core.bench.EchoPaths fdchannel binding
 * }</pre>
 *
 * The paths: {@code binding}, {@link BufferIo}'s read and write alone (the binding of this JDK, or
 * {@code -Dipcatlas.binding=jnr}); {@code fdchannel}, {@link FdChannel}'s blocking read and write; {@code jdk}, the
 * JDK's own {@link FileChannel} on the same descriptors. Standard output is the channel: a JVM option that prints there
 * ({@code -Xlog} to stdout, say) corrupts the messages, which the client then reports.
 */
public final class EchoPaths {
    private static final int BLOCK = 500;
    private static final int BYTES = 64;
    private static final List<String> PATHS = List.of("binding", "fdchannel", "jdk");

    private final BufferIo reads = BufferIo.create();
    private final BufferIo writes = BufferIo.create();
    private final FdChannel in = new FdChannel(0, "stdin");
    private final FdChannel out = new FdChannel(1, "stdout");
    private final FileChannel jdkIn = new FileInputStream(FileDescriptor.in).getChannel();
    private final FileChannel jdkOut = new FileOutputStream(FileDescriptor.out).getChannel();

    private EchoPaths() throws IOException {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !PATHS.contains(args[0]) || !PATHS.contains(args[1])) {
            System.err.println("usage: EchoPaths A B, each one of " + PATHS);
            System.exit(2);
        }
        int[] paths = {PATHS.indexOf(args[0]), PATHS.indexOf(args[1])};
        new EchoPaths().run(paths);
    }

    private void run(int[] paths) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(BYTES);
        for (long count = 0; ; count++) {
            int path = paths[(int) (count / BLOCK % 2)];
            message.clear();
            if (!receive(path, message)) {
                return;
            }
            message.flip();
            send(path, message);
        }
    }

    /** A whole message, or false at end of stream. */
    private boolean receive(int path, ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            long n = switch (path) {
                case 0 -> reads.read(0, message, message.remaining());
                case 1 -> in.read(message);
                default -> jdkIn.read(message);
            };
            if (n < 0 && path == 0) {
                throw new IOException("read: errno " + reads.errno());
            }
            if (n <= 0) {
                return false;
            }
            if (path == 0) {
                message.position(message.position() + (int) n);
            }
        }
        return true;
    }

    private void send(int path, ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            switch (path) {
                case 0 -> {
                    long n = writes.write(1, message, message.remaining());
                    if (n < 0) {
                        throw new IOException("write: errno " + writes.errno());
                    }
                    message.position(message.position() + (int) n);
                }
                case 1 -> out.write(message);
                default -> jdkOut.write(message);
            }
        }
    }
}
