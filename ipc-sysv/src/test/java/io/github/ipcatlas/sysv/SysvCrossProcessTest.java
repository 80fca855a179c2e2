package io.github.ipcatlas.sysv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.sysv.peers.SysvPeers;

/** System V objects between this JVM and real child JVMs, including children killed with SIGKILL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SysvCrossProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final SysvFixture fixture = new SysvFixture();

    @AfterEach
    void cleanUp() throws IOException {
        fixture.removeAll();
    }

    @Test
    void shouldCarryRequestsOfOneTypeAndRepliesOfAnotherOverOneQueue() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE));
             ChildProcess peer = peer("echo", String.valueOf(queue.id()), "3")) {
            peer.awaitLine("ready", DEADLINE);
            List<String> replies = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(256);
            for (String text : new String[] {"alpha", "beta", "gamma"}) {
                queue.send(1, ByteBuffer.wrap(text.getBytes(UTF_8)));
                long type = queue.receive(buffer.clear(), MessageSelector.ofType(2), DEADLINE);
                replies.add(type + " " + UTF_8.decode(buffer.flip()));
            }
            assertThat(replies).containsExactly("2 ALPHA", "2 BETA", "2 GAMMA");
            assertThat(peer.awaitExit(DEADLINE)).isZero();
            assertThat(queue.status().lastReceivePid()).as("we took the last reply").isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldOutliveTheProcessThatCreatedItUntilRemoved() throws IOException {
        SysvKey key = fixture.key();
        try (ChildProcess creator = peer("create-and-leave", key.toString(), "left behind")) {
            creator.awaitLine("ready", DEADLINE);
            assertThat(creator.awaitExit(DEADLINE)).isZero();
        }
        try (SysvMessageQueue queue = SysvMessageQueue.open(key)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertThat(queue.tryReceive(buffer, MessageSelector.any())).isEqualTo(4);
            assertThat(UTF_8.decode(buffer.flip()).toString()).isEqualTo("left behind");
            queue.remove();
        }
    }

    @Test
    void shouldReceiveOnlyWholeMessagesAndTimeOutCleanlyWhenTheProducerIsKilled() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE));
             ChildProcess producer = peer("produce", String.valueOf(queue.id()))) {
            producer.awaitLine("ready", DEADLINE);
            ByteBuffer buffer = ByteBuffer.allocate(512);
            long next = 0;
            for (; next < 100; next++) {
                assertThat(queue.receive(buffer.clear(), MessageSelector.any(), DEADLINE)).isEqualTo(1);
                assertThat(UTF_8.decode(buffer.flip()).toString()).isEqualTo(next + ":" + SysvPeers.PAYLOAD);
            }
            producer.kill(9);
            assertThat(producer.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            while (queue.receive(buffer.clear(), MessageSelector.any(), Duration.ofMillis(200)) == 1) {
                assertThat(UTF_8.decode(buffer.flip()).toString()).as("whole, in order").isEqualTo(next + ":" + SysvPeers.PAYLOAD);
                next++;
            }
            assertThat(queue.status().messages()).isZero();
        }
    }

    @Test
    void shouldGiveBackASemaphoreTakenWithUndoWhenItsHolderIsKilled() throws IOException {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 1));
             ChildProcess holder = peer("hold", String.valueOf(set.id()), "undo")) {
            holder.awaitLine("held", DEADLINE);
            assertThat(set.value(0)).isZero();
            assertThat(set.tryOperate(SemaphoreOperation.acquire(0))).isFalse();

            holder.kill(9);
            assertThat(holder.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            assertThat(set.operate(DEADLINE, SemaphoreOperation.acquire(0))).as("the kernel undid the holder's take").isTrue();
        }
    }

    @Test
    void shouldKeepASemaphoreTakenWithoutUndoWhenItsHolderIsKilled() throws IOException {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 1));
             ChildProcess holder = peer("hold", String.valueOf(set.id()), "plain")) {
            holder.awaitLine("held", DEADLINE);
            holder.kill(9);
            assertThat(holder.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            assertThat(set.value(0)).as("nobody gives it back: the pitfall SEM_UNDO exists for").isZero();
            assertThat(set.lastPid(0)).isEqualTo(holder.pid());
        }
    }

    @Test
    void shouldSeeWhatAnotherProcessWroteAndCountItsAttachmentUntilItExits() throws IOException {
        SysvKey key = fixture.key();
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(key, 64));
             SharedMemoryAttachment attachment = segment.attach();
             ChildProcess writer = peer("write", key.toString(), "from the child")) {
            writer.awaitLine("ready", DEADLINE);
            assertThat(writer.awaitExit(DEADLINE)).isZero();
            byte[] bytes = new byte[14];
            attachment.buffer().get(0, bytes);
            assertThat(new String(bytes, UTF_8)).isEqualTo("from the child");
            Awaitility.await().atMost(DEADLINE).until(() -> segment.status().attachments() == 1);
            assertThat(segment.status().lastPid()).as("the child detached last, when it exited").isEqualTo(writer.pid());
        }
    }

    @Test
    void shouldSizeAnAttachmentByTheSegmentItAttachedWhenTheIdWasReused() throws IOException {
        assertThat(inPrivateIpcNamespace("reuse", "shm")).containsExactly("reused",
                "attached 4096 bytes of a handle that said 1048576");
    }

    @Test
    void shouldRefuseToCopyTheValuesOfAnotherSetThatReusedTheId() throws IOException {
        assertThat(inPrivateIpcNamespace("reuse", "sem")).containsExactly("reused",
                "refused: semaphore set IPC_PRIVATE (id 0) now has 30000 semaphores, not 1: it was removed and its id "
                        + "reused by another set");
    }

    @Test
    void shouldReceiveAMessageLongerThanTheMsgmaxItReadBeforeOnceMsgmaxWasRaised() throws IOException {
        assertThat(inPrivateIpcNamespace("msgmax-raised")).containsExactly("before: -1", "after: type 3, 20000 bytes");
    }

    /**
     * The namespace's limits on queues, segments and sets, lowered to {@link SysvPeers#EXHAUSTED_LIMIT} inside a
     * private IPC namespace and run out there: the refusal must name the sysctl to raise, and the host's own limits,
     * which other processes share, are never touched.
     */
    @ParameterizedTest
    @CsvSource({"msg, msgget, kernel.msgmni", "shm, shmget, kernel.shmmni", "sem, semget, kernel.sem field 4"})
    void shouldNameTheSysctlWhenTheNamespaceRunsOutOfObjects(String kind, String call, String sysctl)
            throws IOException {
        List<String> printed = inPrivateIpcNamespace("exhaust", kind);

        assertThat(printed).hasSize(2).first().isEqualTo("created " + SysvPeers.EXHAUSTED_LIMIT);
        assertThat(printed.get(1)).startsWith("refused: " + call + "(").contains("ENOSPC").contains(sysctl)
                .contains("raise");
    }

    /** Runs a peer in its own IPC namespace (as root of its own user namespace), where it may set the next ids. */
    private static List<String> inPrivateIpcNamespace(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--ipc", "--"));
        command.addAll(ChildJvm.builder(SysvPeers.class).args(args).quickStart().command());
        try (ChildProcess child = ChildProcess.builder(command).start()) {
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            return outcome.stdout();
        }
    }

    private static ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(SysvPeers.class).args(args).quickStart().start();
    }
}
