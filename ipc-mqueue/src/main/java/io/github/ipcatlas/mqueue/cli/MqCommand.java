package io.github.ipcatlas.mqueue.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;

import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.core.cli.CommandLines;
import io.github.ipcatlas.mqueue.Access;
import io.github.ipcatlas.mqueue.Delivery;
import io.github.ipcatlas.mqueue.MessageQueue;
import io.github.ipcatlas.mqueue.MqueueLimits;
import io.github.ipcatlas.mqueue.QueueAttributes;
import io.github.ipcatlas.mqueue.QueueState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc-atlas mq send|receive|info|unlink}: POSIX message queues from the shell. */
@Command(name = "mq", mixinStandardHelpOptions = true, description = "Send, receive, inspect and unlink POSIX message queues.",
        subcommands = {MqCommand.Send.class, MqCommand.Receive.class, MqCommand.Info.class, MqCommand.Unlink.class})
public final class MqCommand {

    /** Runs {@code mq} on its own, without the rest of {@code ipc-atlas}. */
    public static void main(String[] args) {
        CommandLines.main(new MqCommand(), args);
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send TEXT (UTF-8) to the queue NAME.")
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "queue name, e.g. /orders")
        String name;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Option(names = "--priority", paramLabel = "P", defaultValue = "0",
                description = "0 to " + MessageQueue.MAX_PRIORITY + "; higher is received first (default: 0)")
        int priority;

        @Option(names = "--create", description = "create the queue (mode 0600) if it does not exist")
        boolean create;

        @Option(names = "--max-messages", paramLabel = "N", description = "with --create: capacity (default: fs.mqueue.msg_default)")
        Long maxMessages;

        @Option(names = "--max-size", paramLabel = "BYTES", description = "with --create: largest message (default: fs.mqueue.msgsize_default)")
        Long maxSize;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds if the queue stays full (exit 1)")
        Long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            java.time.Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            // everything that can be checked is checked before a queue is created
            if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
                throw new IllegalArgumentException("priority " + priority + " is outside 0.." + MessageQueue.MAX_PRIORITY);
            }
            ByteBuffer message = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            withQueue(name, create ? attributes() : null, message.remaining(), queue -> {
                if (!queue.send(message, priority, timeout)) {
                    throw new IpcTimeoutException("mq_send(" + name + "): the queue stayed full, so it", timeout);
                }
            });
            return 0;
        }

        private QueueAttributes attributes() throws IOException {
            MqueueLimits limits = MqueueLimits.read();
            QueueAttributes attributes = QueueAttributes.of(maxMessages != null ? maxMessages : limits.messagesDefault(),
                    maxSize != null ? maxSize : limits.messageSizeDefault());
            limits.check(attributes);
            return attributes;
        }

        /** Something to do with an open queue. */
        interface QueueAction {
            void accept(MessageQueue queue) throws IOException;
        }

        /**
         * Opens {@code name} write-only and runs {@code action} on it. With {@code createWith}, a missing queue is
         * created first (mode 0600), after checking that a message of {@code messageBytes} fits those attributes;
         * if the action then fails, the queue this call created is unlinked, so a failed command leaves nothing
         * behind. A queue that already existed is never unlinked.
         */
        static void withQueue(String name, QueueAttributes createWith, int messageBytes, QueueAction action)
                throws IOException {
            Opened opened = open(name, createWith, messageBytes);
            try (MessageQueue queue = opened.queue()) {
                action.accept(queue);
            } catch (IOException | RuntimeException | Error failure) {
                if (opened.created()) {
                    try {
                        MessageQueue.unlinkIfExists(name);
                    } catch (IOException | RuntimeException cleanup) {
                        failure.addSuppressed(cleanup);
                    }
                }
                throw failure;
            }
        }

        /** Opens an existing queue, or creates it, knowing which (openOrCreate cannot tell). */
        private static Opened open(String name, QueueAttributes createWith, int messageBytes) throws IOException {
            for (int attempt = 1; ; attempt++) {
                try {
                    return new Opened(MessageQueue.open(name, Access.WRITE_ONLY), false);
                } catch (NoSuchFileException missing) {
                    if (createWith == null) {
                        throw missing;
                    }
                }
                if (messageBytes > createWith.maxMessageSize()) {
                    throw new IllegalArgumentException("message of " + messageBytes + " bytes is larger than queue "
                            + name + " would allow (maxMessageSize " + createWith.maxMessageSize()
                            + "; raise it with --max-size); nothing was created");
                }
                try {
                    return new Opened(MessageQueue.create(name, createWith, MessageQueue.DEFAULT_MODE,
                            Access.WRITE_ONLY), true);
                } catch (FileAlreadyExistsException raced) {
                    if (attempt == 3) { // another process keeps creating and removing it: give up
                        throw raced;
                    }
                }
            }
        }

        private record Opened(MessageQueue queue, boolean created) {
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true,
            description = "Receive one message from NAME and print it (UTF-8) with a newline.")
    static final class Receive implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--timeout", paramLabel = "MS", description = "give up after MS milliseconds (exit 1)")
        Long timeoutMillis;

        @Option(names = "--show-priority", description = "print PRIORITY TEXT")
        boolean showPriority;

        @Override
        public Integer call() throws IOException {
            java.time.Duration timeout = CommandLines.timeout(spec, timeoutMillis);
            try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
                ByteBuffer buffer = ByteBuffer.allocate((int) queue.maxMessageSize());
                Delivery delivery = new Delivery();
                if (queue.receive(buffer, timeout, delivery) < 0) {
                    throw new IpcTimeoutException("mq_receive(" + name + "): no message came, so it", timeout);
                }
                String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
                System.out.println(showPriority ? delivery.priority() + " " + text : text);
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print the attributes of the queue NAME.")
    static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
                QueueState state = queue.state();
                System.out.println("name: " + name);
                System.out.println("max_messages: " + state.maxMessages());
                System.out.println("max_message_size: " + state.maxMessageSize());
                System.out.println("current_messages: " + state.currentMessages());
            }
            return 0;
        }
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true, description = "Remove the queue NAME.")
    static final class Unlink implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            MessageQueue.unlink(name);
            return 0;
        }
    }
}
