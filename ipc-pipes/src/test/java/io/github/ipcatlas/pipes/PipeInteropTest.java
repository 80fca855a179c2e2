package io.github.ipcatlas.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;

/** Pipes and FIFOs shared with programs that are not ours: python3, cat, echo, mkfifo. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldFeedAPythonChildThatReadsTheEndItInheritedAtDescriptor3() throws Exception {
        byte[] data = PipeTestData.pattern(1024 * 1024 + 5);
        String script = "import os, hashlib\n"
                + "h, n = hashlib.sha256(), 0\n"
                + "while True:\n"
                + "    chunk = os.read(3, 65536)\n"
                + "    if not chunk: break\n"
                + "    h.update(chunk); n += len(chunk)\n"
                + "print(n, h.hexdigest())\n";
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess python = ChildProcess.builder("python3", "-c", script)
                     .inheritFd(pipe.readEnd(), 3).start()) {
            pipe.readEnd().close();
            pipe.writeEnd().write(ByteBuffer.wrap(data));
            pipe.writeEnd().close();

            assertThat(python.nextLine(DEADLINE)).isEqualTo(data.length + " " + sha256(data));
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldReadWhatAPythonChildWritesToTheEndItInherited() throws IOException {
        try (AnonymousPipe pipe = AnonymousPipe.open();
             ChildProcess python = ChildProcess.builder("python3", "-c",
                     "import os; os.write(4, b'Hello from the child process'); os.close(4)")
                     .inheritFd(pipe.writeEnd(), 4).start()) {
            pipe.writeEnd().close();

            String received = new String(StreamReads.readToEnd(pipe.readEnd(), DEADLINE), StandardCharsets.UTF_8);

            assertThat(received).isEqualTo("Hello from the child process");
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldReadAFifoThatTheShellWritesWithEcho() throws IOException {
        Path fifo = Fifo.create(dir.resolve("from-echo"));
        try (ChildProcess shell = ChildProcess.builder("sh", "-c", "echo 'hello from echo' > \"$0\"", fifo.toString())
                .start();
             PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
            assertThat(new String(StreamReads.readToEnd(reader, DEADLINE), StandardCharsets.UTF_8))
                    .isEqualTo("hello from echo\n");
            assertThat(shell.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldWriteAFifoThatCatReads() throws IOException {
        Path fifo = Fifo.create(dir.resolve("to-cat"));
        try (ChildProcess cat = ChildProcess.builder("cat", fifo.toString()).start()) {
            try (PipeEnd writer = Fifo.openWriter(fifo, DEADLINE)) {
                writer.write(ByteBuffer.wrap("line one\nline two\n".getBytes(StandardCharsets.UTF_8)));
            }

            assertThat(cat.remainingLines(DEADLINE)).containsExactly("line one", "line two");
            assertThat(cat.awaitExit(DEADLINE)).isZero();
        }
    }

    @Test
    void shouldUseAFifoMadeByTheMkfifoTool() throws IOException {
        Path fifo = dir.resolve("made-by-mkfifo");
        try (ChildProcess mkfifo = ChildProcess.builder("mkfifo", "-m", "0600", fifo.toString()).start()) {
            assertThat(mkfifo.awaitExit(DEADLINE)).isZero();
        }
        assertThat(Fifo.isFifo(fifo)).isTrue();

        try (ChildProcess python = ChildProcess.builder("python3", "-c",
                "import sys; open(sys.argv[1], 'wb').write(b'from python')", fifo.toString()).start();
             PipeEnd reader = Fifo.openReader(fifo, DEADLINE)) {
            assertThat(new String(StreamReads.readToEnd(reader, DEADLINE), StandardCharsets.UTF_8)).isEqualTo("from python");
            assertThat(python.awaitExit(DEADLINE)).isZero();
        }
        Fifo.unlink(fifo);
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
