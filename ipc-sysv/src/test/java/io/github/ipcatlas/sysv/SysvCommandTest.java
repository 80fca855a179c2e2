package io.github.ipcatlas.sysv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.sysv.cli.SysvCommand;

/** {@code sysv mq send|receive|remove} and {@code sysv shm write|read|remove} as real processes, with the exit codes of the command contract. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SysvCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final SysvFixture fixture = new SysvFixture();

    @AfterEach
    void cleanUp() throws IOException {
        fixture.removeAll();
    }

    @Test
    void shouldSendReceiveByTypeAndRemoveAQueue() throws IOException {
        String key = fixture.key().toString();
        assertThat(run("mq", "send", key, "hello", "--create", "--type", "7").exitCode()).isZero();
        assertThat(run("mq", "send", key, "world").exitCode()).isZero();
        try (SysvMessageQueue queue = SysvMessageQueue.open(SysvKey.parse(key))) {
            assertThat(queue.permissions().mode()).isEqualTo(0600);
            assertThat(queue.status().messages()).isEqualTo(2);
        }
        assertThat(run("mq", "receive", key, "--type", "7").stdout()).containsExactly("hello");
        assertThat(run("mq", "receive", key, "--show-type").stdout()).containsExactly("1 world");

        ChildProcess.Outcome empty = run("mq", "receive", key, "--timeout", "100");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.stderr()).contains("no message of any type came").contains("timed out after 100 ms");

        assertThat(run("mq", "remove", key).exitCode()).isZero();
        ChildProcess.Outcome again = run("mq", "remove", key);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("msgget(message queue " + key + ") failed: ENOENT");
    }

    @Test
    void shouldWriteExactlyTheTextsBytesReplaceThemAndRemoveASegment() throws IOException {
        // ASCII: under the C locale JDK 17 decodes a non-ASCII argument as U+FFFD before the command sees it
        SysvKey key = fixture.key();
        assertThat(run("shm", "write", key.toString(), "hello").exitCode()).isZero();
        try (SysvSharedMemory segment = SysvSharedMemory.open(key)) {
            assertThat(segment.size()).isEqualTo("hello".getBytes(UTF_8).length);
            assertThat(segment.permissions().mode()).isEqualTo(0600);
        }
        assertThat(run("shm", "read", key.toString()).stdout()).containsExactly("hello");
        assertThat(run("shm", "write", key.toString(), "a longer text").exitCode()).isZero();
        assertThat(run("shm", "read", key.toString()).stdout()).containsExactly("a longer text");
        assertThat(run("shm", "write", key.toString(), "same length!!").exitCode()).isZero();
        assertThat(run("shm", "read", key.toString()).stdout()).containsExactly("same length!!");

        assertThat(run("shm", "remove", key.toString()).exitCode()).isZero();
        ChildProcess.Outcome missing = run("shm", "read", key.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("ENOENT").contains("no shared-memory segment has this key");
    }

    @Test
    void shouldExitTwoOnABadKeyTypeOrTextBeforeTouchingTheKernel() throws IOException {
        String key = fixture.key().toString();
        ChildProcess.Outcome privateKey = run("mq", "send", "0", "x", "--create");
        assertThat(privateKey.exitCode()).isEqualTo(2);
        assertThat(privateKey.stderr()).contains("IPC_PRIVATE");
        assertThat(run("mq", "send", "0x123456789", "x").exitCode()).isEqualTo(2);
        ChildProcess.Outcome badType = run("mq", "send", key, "x", "--create", "--type", "0");
        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.stderr()).contains("--type 0 must be positive");
        ChildProcess.Outcome empty = run("shm", "write", key, "");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.stderr()).contains("at least one byte");
        assertThat(run("mq", "receive", key, "--timeout", "-5").exitCode()).isEqualTo(2);
        try (SysvMessageQueue nothing = SysvMessageQueue.open(SysvKey.parse(key))) {
            throw new AssertionError("a refused command created " + nothing);
        } catch (java.nio.file.NoSuchFileException expected) {
            // nothing was created
        }
    }

    private static ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(SysvCommand.class).args(args).quickStart().start()) {
            return child.finish(DEADLINE);
        }
    }
}
