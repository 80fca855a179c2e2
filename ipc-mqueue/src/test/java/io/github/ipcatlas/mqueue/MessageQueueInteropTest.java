package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

/** The same kernel queue used by python3 through ctypes and libc's mq_* functions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageQueueInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PYTHON = String.join("\n",
            "import ctypes, ctypes.util, sys",
            "libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)",
            "libc.mq_open.restype = ctypes.c_int",
            "libc.mq_receive.restype = ctypes.c_ssize_t",
            "libc.mq_receive.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint)]",
            "libc.mq_send.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]",
            "q = libc.mq_open(sys.argv[1].encode(), 2)  # O_RDWR",
            "if q < 0: sys.exit('mq_open: errno %d' % ctypes.get_errno())",
            "buf = ctypes.create_string_buffer(256); prio = ctypes.c_uint()",
            "for _ in range(2):",
            "    n = libc.mq_receive(q, buf, 256, ctypes.byref(prio))",
            "    if n < 0: sys.exit('mq_receive: errno %d' % ctypes.get_errno())",
            "    print(prio.value, buf.raw[:n].decode(), flush=True)",
            "reply = b'pong from python'",
            "if libc.mq_send(q, reply, len(reply), 7) != 0: sys.exit('mq_send: errno %d' % ctypes.get_errno())",
            "libc.close(q)");

    private final String name = IpcNames.unique("t-mq-py");

    @AfterEach
    void unlink() throws IOException {
        MessageQueue.unlinkIfExists(name);
    }

    @Test
    void shouldExchangeMessagesWithPrioritiesWithPython() throws IOException {
        try (MessageQueue queue = MessageQueue.create(name, QueueAttributes.of(4, 256))) {
            queue.send(ByteBuffer.wrap("routine".getBytes(StandardCharsets.UTF_8)), 1);
            queue.send(ByteBuffer.wrap("urgent".getBytes(StandardCharsets.UTF_8)), 3);

            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON, name).start()) {
                assertThat(python.nextLine(DEADLINE)).isEqualTo("3 urgent");
                assertThat(python.nextLine(DEADLINE)).isEqualTo("1 routine");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }

            ByteBuffer buffer = ByteBuffer.allocate(256);
            Delivery delivery = new Delivery();
            assertThat(queue.receive(buffer, DEADLINE, delivery)).isEqualTo(16);
            assertThat(StandardCharsets.UTF_8.decode(buffer.flip()).toString()).isEqualTo("pong from python");
            assertThat(delivery.priority()).isEqualTo(7);
        }
    }
}
