package io.github.ipcatlas.mqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.mqueue.cli.MqCommand;

/** {@code mq send|receive|info|unlink} as a real process, with the exit codes of the command contract. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final String name = IpcNames.unique("t-mq-cli");

    @AfterEach
    void unlink() throws IOException {
        MessageQueue.unlinkIfExists(name);
    }

    @Test
    void shouldSendReceiveInspectAndUnlink() throws IOException {
        assertThat(run("send", name, "hello", "--create", "--max-messages", "4", "--max-size", "128",
                "--priority", "3").exitCode()).isZero();
        assertThat(run("send", name, "world").exitCode()).isZero();

        assertThat(run("info", name).stdout()).containsExactly("name: " + name, "max_messages: 4", "max_message_size: 128",
                "current_messages: 2");
        assertThat(run("receive", name, "--show-priority").stdout()).containsExactly("3 hello");
        assertThat(run("receive", name).stdout()).containsExactly("world");

        ChildProcess.Outcome empty = run("receive", name, "--timeout", "100");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.stderr()).contains("no message came").contains("timed out after 100 ms");

        assertThat(run("unlink", name).exitCode()).isZero();
        ChildProcess.Outcome again = run("unlink", name);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("mq_unlink(" + name + ") failed: ENOENT");
    }

    @Test
    void shouldCreateWithTheSystemDefaultsAndMode0600() throws IOException {
        assertThat(run("send", name, "x", "--create").exitCode()).isZero();
        try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
            MqueueLimits limits = MqueueLimits.read();
            assertThat(queue.maxMessages()).isEqualTo(limits.messagesDefault());
            assertThat(queue.maxMessageSize()).isEqualTo(limits.messageSizeDefault());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(
                    java.nio.file.Path.of("/proc/self/fd/" + queue.fd())))).as("the queue's own mode").isEqualTo("rw-------");
        }
    }

    @Test
    void shouldExitWith1ForAMissingQueueAndWith2ForUsageErrors() throws IOException {
        ChildProcess.Outcome missing = run("send", name, "x");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("ENOENT");

        ChildProcess.Outcome badPriority = run("send", name, "x", "--create", "--priority", "40000");
        assertThat(badPriority.exitCode()).isEqualTo(2);
        assertThat(badPriority.stderr()).contains("priority 40000 is outside 0..32767");

        ChildProcess.Outcome badName = run("info", "no-slash");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.stderr()).contains("must start with '/'");

        assertThat(run("receive").exitCode()).isEqualTo(2);
    }

    @Test
    void shouldCreateNothingWhenSendWithCreateIsGivenABadPriorityOrATooLargeText() throws IOException {
        ChildProcess.Outcome badPriority = run("send", name, "x", "--create", "--priority", "40000");
        assertThat(badPriority.exitCode()).isEqualTo(2);
        assertThat(badPriority.stderr()).contains("priority 40000 is outside 0..32767");
        assertAbsent(name);

        ChildProcess.Outcome tooLarge = run("send", name, "123456789", "--create", "--max-size", "8");
        assertThat(tooLarge.exitCode()).isEqualTo(2);
        assertThat(tooLarge.stderr()).contains("message of 9 bytes").contains("maxMessageSize 8");
        assertAbsent(name);

        String beyondTheDefault = "x".repeat((int) MqueueLimits.read().messageSizeDefault() + 1);
        assertThat(run("send", name, beyondTheDefault, "--create").exitCode()).isEqualTo(2);
        assertAbsent(name);
    }

    @Test
    void shouldKeepAQueueItDidNotCreateWhenSendWithCreateFails() throws IOException {
        MessageQueue.create(name, QueueAttributes.of(2, 8)).close();

        ChildProcess.Outcome tooLarge = run("send", name, "123456789", "--create", "--max-size", "64");
        assertThat(tooLarge.exitCode()).isEqualTo(2);
        assertThat(tooLarge.stderr()).contains("message of 9 bytes is larger than queue " + name);
        try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
            assertThat(queue.state().currentMessages()).isZero();
        }
    }

    /** Absent from the queue namespace ({@code /dev/mqueue} is not mounted everywhere, so ask mq_open). */
    static void assertAbsent(String name) {
        assertThatThrownBy(() -> MessageQueue.open(name, Access.READ_ONLY).close())
                .isInstanceOf(NoSuchFileException.class);
    }

    private static ChildProcess.Outcome run(String... args) throws IOException {
        try (ChildProcess child = ChildJvm.builder(MqCommand.class).args(args).quickStart().start()) {
            return child.finish(DEADLINE);
        }
    }

}
