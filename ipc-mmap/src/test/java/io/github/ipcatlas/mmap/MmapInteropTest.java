package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;

/** python3's mmap module and our mappings share the same pages. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MmapInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PYTHON = String.join("\n",
            "import mmap, sys, struct",
            "with open(sys.argv[1], 'r+b') as f:",
            "    m = mmap.mmap(f.fileno(), 0)",
            "    n = struct.unpack_from('<i', m, 0)[0]",
            "    print(m[8:8 + n].decode(), flush=True)",
            "    reply = 'written by python'.encode()",
            "    m[1024:1024 + len(reply)] = reply",
            "    m.close()");

    @TempDir
    Path dir;

    @Test
    void shouldExchangeBytesWithPythonsMmap() throws IOException {
        Path file = dir.resolve("shared");
        try (MappedFile map = MappedFile.create(file, 4096, Growth.PREALLOCATE)) {
            byte[] text = "written by java".getBytes(StandardCharsets.UTF_8);
            assertThat(java.nio.ByteOrder.nativeOrder()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN); // python reads '<i'
            map.putInt(0, text.length);
            map.put(8, ByteBuffer.wrap(text));

            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON, file.toString()).start()) {
                assertThat(python.nextLine(DEADLINE)).isEqualTo("written by java");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }

            ByteBuffer reply = ByteBuffer.allocate(17);
            map.get(1024, reply);
            assertThat(new String(reply.array(), StandardCharsets.UTF_8)).isEqualTo("written by python");
        }
    }
}
