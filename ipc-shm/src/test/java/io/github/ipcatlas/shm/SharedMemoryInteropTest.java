package io.github.ipcatlas.shm;

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

/** The same segment opened by python3's multiprocessing.shared_memory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedMemoryInteropTest {
    private static final String PYTHON = String.join("\n",
            "import sys",
            "from multiprocessing import shared_memory, resource_tracker",
            "shm = shared_memory.SharedMemory(name=sys.argv[1])",
            "# Python's resource tracker unlinks segments it saw at exit, even ones it did not create: opt out",
            "resource_tracker.unregister(shm._name, 'shared_memory')",
            "n = int.from_bytes(bytes(shm.buf[0:8]), 'little')",
            "print(bytes(shm.buf[8:8 + n]).decode(), flush=True)",
            "reply = 'written by python'.encode()",
            "shm.buf[100:100 + len(reply)] = reply",
            "shm.close()");

    private final String name = IpcNames.unique("t-shm-py");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldExchangeBytesWithPythonsSharedMemory() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            byte[] text = "written by java".getBytes(StandardCharsets.UTF_8);
            segment.memory().putLong(0, text.length); // native order: little-endian on x86-64 and aarch64
            segment.memory().put(8, ByteBuffer.wrap(text));

            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON, name.substring(1)).start()) {
                assertThat(python.nextLine(Duration.ofSeconds(30))).isEqualTo("written by java");
                assertThat(python.awaitExit(Duration.ofSeconds(30))).as(python.stderr()).isZero();
            }

            ByteBuffer reply = ByteBuffer.allocate(17);
            segment.memory().get(100, reply);
            assertThat(new String(reply.array(), StandardCharsets.UTF_8)).isEqualTo("written by python");
        }
        assertThat(SharedMemory.unlinkIfExists(name)).as("python did not unlink our segment").isTrue();
    }
}
