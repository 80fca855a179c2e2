package io.github.ipcatlas.sysv.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.sysv.MessageSelector;
import io.github.ipcatlas.sysv.SharedMemoryAttachment;
import io.github.ipcatlas.sysv.SysvHandle;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvLimits;
import io.github.ipcatlas.sysv.SysvMessageQueue;
import io.github.ipcatlas.sysv.SysvSharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipc-atlas sysv mq send|receive|remove} and {@code sysv shm write|read|remove}: System V objects from the
 * shell. KEY is a decimal or {@code 0x} hexadecimal number, as {@code ipcs} prints it; 0 ({@code IPC_PRIVATE}) is
 * refused, since nothing could find the object again.
 */
@Command(name = "sysv", mixinStandardHelpOptions = true,
        description = "System V message queues and shared memory (they stay until removed: see ipcs, ipcrm).",
        subcommands = {SysvCommand.Mq.class, SysvCommand.Shm.class})
public final class SysvCommand {

    /** Runs {@code sysv} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new SysvCommand(), args);
    }

    /** Fails (exit 1) if standard output could not take what was printed: a full disk, a closed pipe. */
    static void checkWritten(PrintStream out, String what) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("writing " + what + " to standard output failed");
        }
    }

    /** KEY as the commands take it. */
    static SysvKey key(String text) {
        SysvKey key = SysvKey.parse(text);
        if (key.isPrivate()) {
            throw new IllegalArgumentException("key " + text + " is IPC_PRIVATE, which no later command could find; "
                    + "pick a non-zero key");
        }
        return key;
    }

    @Command(name = "mq", mixinStandardHelpOptions = true, description = "Send, receive and remove System V message queues.",
            subcommands = {Mq.Send.class, Mq.Receive.class, Mq.Remove.class})
    static final class Mq {
        @Command(name = "send", mixinStandardHelpOptions = true, description = "Send TEXT (UTF-8) to the queue KEY.")
        static final class Send implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Parameters(index = "0", paramLabel = "KEY")
            String key;

            @Parameters(index = "1", paramLabel = "TEXT")
            String text;

            @Option(names = "--type", paramLabel = "N", defaultValue = "1", description = "message type, positive (default: 1)")
            long type;

            @Option(names = "--create", description = "create the queue (mode 0600) if it does not exist")
            boolean create;

            @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds if the queue stays full (exit 1)")
            Long timeoutMillis;

            @Override
            public Integer call() throws IOException {
                Duration timeout = CommandLines.timeout(spec, timeoutMillis);
                SysvKey parsed = key(key);
                if (type <= 0) {
                    throw new IllegalArgumentException("--type " + type + " must be positive");
                }
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                long max = SysvLimits.read().messageMax();
                if (bytes.length > max) {
                    throw new IllegalArgumentException("TEXT is " + bytes.length + " bytes, longer than kernel.msgmax = "
                            + max + "; nothing was sent");
                }
                try (SysvMessageQueue queue = create ? SysvMessageQueue.openOrCreate(parsed, SysvHandle.DEFAULT_MODE)
                        : SysvMessageQueue.open(parsed)) {
                    if (!queue.send(type, ByteBuffer.wrap(bytes), timeout)) {
                        throw new IpcTimeoutException("msgsnd(" + queue + "): the queue stayed full, so it", timeout);
                    }
                }
                return 0;
            }
        }

        @Command(name = "receive", mixinStandardHelpOptions = true,
                description = "Receive one message from the queue KEY and print it (UTF-8) with a newline.")
        static final class Receive implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Parameters(paramLabel = "KEY")
            String key;

            @Option(names = "--type", paramLabel = "N", defaultValue = "0",
                    description = "which message: 0 the oldest of any type (default), N > 0 the oldest of type N, "
                            + "N < 0 the oldest of the lowest type up to -N")
            long type;

            @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
            Long timeoutMillis;

            @Option(names = "--show-type", description = "print TYPE TEXT")
            boolean showType;

            @Override
            public Integer call() throws IOException {
                Duration timeout = CommandLines.timeout(spec, timeoutMillis);
                SysvKey parsed = key(key);
                MessageSelector selector = MessageSelector.ofMsgtyp(type);
                try (SysvMessageQueue queue = SysvMessageQueue.open(parsed)) {
                    ByteBuffer buffer = ByteBuffer.allocate((int) SysvLimits.read().messageMax());
                    long received = queue.receive(buffer, selector, timeout);
                    if (received < 0) {
                        throw new IpcTimeoutException("msgrcv(" + queue + "): no message of " + selector + " came, so it",
                                timeout);
                    }
                    String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
                    System.out.println(showType ? received + " " + text : text);
                    checkWritten(System.out, "the message (it was taken from the queue)");
                }
                return 0;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove the queue KEY and its messages.")
        static final class Remove implements Callable<Integer> {
            @Parameters(paramLabel = "KEY")
            String key;

            @Override
            public Integer call() throws IOException {
                try (SysvMessageQueue queue = SysvMessageQueue.open(key(key))) {
                    queue.remove();
                }
                return 0;
            }
        }
    }

    @Command(name = "shm", mixinStandardHelpOptions = true, description = "Write, read and remove System V shared memory.",
            subcommands = {Shm.Write.class, Shm.Read.class, Shm.Remove.class})
    static final class Shm {
        @Command(name = "write", mixinStandardHelpOptions = true,
                description = "Create or replace the segment KEY with exactly TEXT's UTF-8 bytes (mode 0600).")
        static final class Write implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "KEY")
            String key;

            @Parameters(index = "1", paramLabel = "TEXT")
            String text;

            @Override
            public Integer call() throws IOException {
                SysvKey parsed = key(key);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length == 0) {
                    throw new IllegalArgumentException("TEXT is empty, and a System V segment holds at least one byte");
                }
                try (SysvSharedMemory segment = sized(parsed, bytes.length);
                     SharedMemoryAttachment attachment = segment.attach()) {
                    attachment.buffer().put(bytes);
                }
                return 0;
            }

            /**
             * The segment with {@code key} if it has exactly {@code size} bytes; otherwise a new one, after removing
             * one of another size (processes attached to that keep it until they detach).
             */
            private static SysvSharedMemory sized(SysvKey key, int size) throws IOException {
                for (int attempt = 1; ; attempt++) {
                    try {
                        SysvSharedMemory existing = SysvSharedMemory.open(key);
                        if (existing.size() == size) {
                            return existing;
                        }
                        existing.remove();
                        existing.close();
                    } catch (NoSuchFileException missing) {
                        // create it below
                    }
                    try {
                        return SysvSharedMemory.create(key, size);
                    } catch (FileAlreadyExistsException raced) {
                        if (attempt == 3) { // another process keeps making it: give up
                            throw raced;
                        }
                    }
                }
            }
        }

        @Command(name = "read", mixinStandardHelpOptions = true,
                description = "Print the bytes of the segment KEY and a newline.")
        static final class Read implements Callable<Integer> {
            private static final int CHUNK = 1 << 16;

            @Parameters(paramLabel = "KEY")
            String key;

            @Override
            public Integer call() throws IOException {
                try (SysvSharedMemory segment = SysvSharedMemory.open(key(key));
                     SharedMemoryAttachment attachment = segment.attachReadOnly()) {
                    PrintStream out = System.out;
                    byte[] chunk = new byte[CHUNK];
                    for (long offset = 0; offset < attachment.size(); offset += CHUNK) {
                        int length = (int) Math.min(CHUNK, attachment.size() - offset);
                        attachment.buffer(offset, length).get(chunk, 0, length);
                        ((OutputStream) out).write(chunk, 0, length);
                    }
                    out.println();
                    checkWritten(out, "the segment");
                }
                return 0;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true,
                description = "Remove the segment KEY (it goes when the last process detaches).")
        static final class Remove implements Callable<Integer> {
            @Parameters(paramLabel = "KEY")
            String key;

            @Override
            public Integer call() throws IOException {
                try (SysvSharedMemory segment = SysvSharedMemory.open(key(key))) {
                    segment.remove();
                }
                return 0;
            }
        }
    }
}
