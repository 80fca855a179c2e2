package io.github.ipcatlas.sysv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.Errors;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysvMessageQueueTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final SysvFixture fixture = new SysvFixture();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws IOException {
        executor.shutdownNow();
        fixture.removeAll();
    }

    @Test
    void shouldSelectMessagesByTypeByLowestTypeAndByExclusion() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            send(queue, 5, "five");
            send(queue, 2, "two");
            send(queue, 9, "nine");
            send(queue, 2, "two again");
            send(queue, 7, "seven");

            assertThat(receive(queue, MessageSelector.ofType(9))).isEqualTo("9 nine");
            assertThat(receive(queue, MessageSelector.lowestTypeUpTo(6))).isEqualTo("2 two");
            assertThat(receive(queue, MessageSelector.anyExcept(2))).isEqualTo("5 five");
            assertThat(receive(queue, MessageSelector.any())).isEqualTo("2 two again");
            assertThat(queue.tryReceive(ByteBuffer.allocate(64), MessageSelector.ofType(2))).isEqualTo(-1);
            assertThat(receive(queue, MessageSelector.ofMsgtyp(-100))).isEqualTo("7 seven");
        }
    }

    @Test
    void shouldCreateWithMode0600AndReportWhatItHolds() throws IOException {
        SysvKey key = fixture.key();
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(key))) {
            send(queue, 1, "abc");
            send(queue, 1, "de");
            MessageQueueStatus status = queue.status();
            assertThat(status.key()).isEqualTo(key);
            assertThat(status.permissions().mode()).isEqualTo(0600);
            assertThat(status.permissions().uid()).isEqualTo(status.permissions().creatorUid());
            assertThat(status.messages()).isEqualTo(2);
            assertThat(status.bytes()).isEqualTo(5);
            assertThat(status.maxBytes()).isEqualTo(SysvLimits.read().queueBytesDefault());
            assertThat(status.lastSendPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(status.lastReceive()).isNull();

            try (SysvMessageQueue again = SysvMessageQueue.open(key); SysvMessageQueue byId = SysvMessageQueue.ofId(queue.id())) {
                assertThat(again.id()).isEqualTo(queue.id());
                assertThat(byId.key()).isEqualTo(key);
            }
            queue.setMode(0640);
            assertThat(queue.permissions().mode()).isEqualTo(0640);
        }
    }

    @Test
    void shouldNameTheKeyWhenOpeningAMissingQueueOrCreatingAnExistingOne() throws IOException {
        SysvKey key = fixture.key();
        assertThatThrownBy(() -> SysvMessageQueue.open(key)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("msgget(message queue " + key + ") failed: ENOENT")
                .hasMessageContaining("no message queue has this key");
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(key))) {
            assertThatThrownBy(() -> SysvMessageQueue.create(key)).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessageContaining("EEXIST");
            try (SysvMessageQueue same = SysvMessageQueue.openOrCreate(key, 0600)) {
                assertThat(same.id()).isEqualTo(queue.id());
            }
        }
    }

    @Test
    void shouldRefuseBadInputBeforeAnyNativeCall() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            ByteBuffer text = ByteBuffer.wrap("x".getBytes(UTF_8));
            assertThatThrownBy(() -> queue.send(0, text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("message type 0 must be positive");
            assertThatThrownBy(() -> queue.trySend(-3, text)).hasMessageContaining("message type -3");
            long max = SysvLimits.read().messageMax();
            assertThatThrownBy(() -> queue.trySend(1, ByteBuffer.allocate((int) max + 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel.msgmax = " + max);
            assertThatThrownBy(() -> queue.send(1, text, Duration.ofMillis(-1))).hasMessageContaining("negative");
            assertThatThrownBy(() -> queue.tryReceive(ByteBuffer.allocate(8).asReadOnlyBuffer(), MessageSelector.any()))
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> MessageSelector.ofType(0)).hasMessageContaining("message type 0 must be positive");
            assertThatThrownBy(() -> MessageSelector.lowestTypeUpTo(-2)).hasMessageContaining("-2");
            assertThatThrownBy(() -> SysvMessageQueue.create(SysvKey.PRIVATE, 01777)).hasMessageContaining("01777");
            assertThatThrownBy(() -> SysvMessageQueue.open(SysvKey.PRIVATE)).hasMessageContaining("IPC_PRIVATE");
            assertThatThrownBy(() -> SysvMessageQueue.ofId(-1)).hasMessageContaining("-1");
            assertThat(text.position()).as("nothing was consumed").isZero();
            assertThat(queue.status().messages()).isZero();
        }
    }

    @Test
    void shouldReportAFullQueueAsFalseAndAMessageThatCanNeverFitAsAnError() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            queue.setMaxBytes(100);
            assertThat(queue.trySend(1, ByteBuffer.allocate(60))).isTrue();
            assertThat(queue.trySend(1, ByteBuffer.allocate(60))).isFalse();
            assertThat(queue.send(1, ByteBuffer.allocate(60), Duration.ofMillis(20))).isFalse();
            assertThatThrownBy(() -> queue.send(1, ByteBuffer.allocate(200))).isInstanceOf(IOException.class)
                    .hasMessageContaining("200 bytes can never fit").hasMessageContaining("msg_qbytes = 100");
        }
    }

    @Test
    void shouldLeaveAMessageTooLongForTheRoomGivenInTheQueue() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            send(queue, 4, "twelve bytes");
            ByteBuffer small = ByteBuffer.allocate(5);
            assertThatThrownBy(() -> queue.tryReceive(small, MessageSelector.any())).isInstanceOf(IOException.class)
                    .hasMessageContaining("longer than the 5 bytes of room").hasMessageContaining("stays in the queue");
            assertThat(small.position()).isZero();
            assertThat(receive(queue, MessageSelector.any())).isEqualTo("4 twelve bytes");
        }
    }

    @Test
    void shouldWakeABlockedReceiverWithEidrmWhenTheQueueIsRemoved() throws Exception {
        SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE));
        AtomicInteger tid = new AtomicInteger();
        Future<Long> receiver = executor.submit(() -> {
            tid.set(KernelWait.currentTid());
            return queue.receive(ByteBuffer.allocate(64), MessageSelector.any());
        });
        Awaitility.await().atMost(DEADLINE).until(() -> tid.get() != 0 && KernelWait.wchan(tid.get()).equals("do_msgrcv"));
        queue.remove();
        Awaitility.await().atMost(DEADLINE).until(receiver::isDone);
        assertThatThrownBy(receiver::get).hasCauseInstanceOf(ErrnoException.class)
                .hasMessageContaining("EIDRM").hasMessageContaining("was removed");
    }

    @Test
    void shouldWakeABlockedReceiverWhenAMessageArrivesFromAnotherThread() throws Exception {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            send(queue, 1, "not this one");
            AtomicInteger tid = new AtomicInteger();
            Future<String> receiver = executor.submit(() -> {
                tid.set(KernelWait.currentTid());
                ByteBuffer buffer = ByteBuffer.allocate(64);
                long type = queue.receive(buffer, MessageSelector.ofType(3));
                return type + " " + UTF_8.decode(buffer.flip());
            });
            // asleep in msgrcv with a type-1 message in the queue: the selector passed it over
            Awaitility.await().atMost(DEADLINE).until(() -> tid.get() != 0 && KernelWait.wchan(tid.get()).equals("do_msgrcv"));
            send(queue, 3, "this one");
            assertThat(receiver.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("3 this one");
            assertThat(queue.status().messages()).isEqualTo(1);
        }
    }

    @Test
    void shouldTimeOutAReceiveWithNothingToTake() throws IOException {
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE))) {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertThat(queue.receive(buffer, MessageSelector.any(), Duration.ofMillis(30))).isEqualTo(-1);
            assertThat(queue.receive(buffer, MessageSelector.any(), Duration.ZERO)).isEqualTo(-1);
            assertThat(buffer.position()).isZero();
        }
    }

    @Test
    void shouldFailEveryCallAfterCloseButLeaveTheQueue() throws IOException {
        SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE));
        queue.close();
        queue.close();
        assertThat(queue.isOpen()).isFalse();
        assertThatThrownBy(() -> queue.trySend(1, ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> queue.tryReceive(ByteBuffer.allocate(1), MessageSelector.any()))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(queue::status).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(queue::remove).isInstanceOf(ClosedChannelException.class);
        try (SysvMessageQueue again = SysvMessageQueue.ofId(queue.id())) {
            assertThat(again.status().messages()).as("the queue is still there").isZero();
        }
    }

    @Test
    void shouldReportARemovedQueueByItsId() throws IOException {
        SysvMessageQueue queue = SysvMessageQueue.create(SysvKey.PRIVATE);
        queue.remove();
        assertThatThrownBy(() -> queue.trySend(1, ByteBuffer.allocate(1))).isInstanceOf(ErrnoException.class)
                .satisfies(e -> assertThat(Errors.errnoOf(e)).isIn(Errors.EINVAL, Errors.EIDRM))
                .hasMessageContaining("msgsnd(message queue IPC_PRIVATE (id " + queue.id() + "))");
    }

    private static void send(SysvMessageQueue queue, long type, String text) throws IOException {
        queue.send(type, ByteBuffer.wrap(text.getBytes(UTF_8)));
    }

    private static String receive(SysvMessageQueue queue, MessageSelector selector) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256);
        long type = queue.receive(buffer, selector, DEADLINE);
        return type + " " + UTF_8.decode(buffer.flip());
    }
}
