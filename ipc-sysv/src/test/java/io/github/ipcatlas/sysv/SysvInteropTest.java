package io.github.ipcatlas.sysv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ErrnoException;

/** The same kernel objects seen and used by programs that are not ours: {@code ipcs}, {@code ipcrm}, python3 (ctypes). */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SysvInteropTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PYTHON_LIBC = String.join("\n",
            "import ctypes, ctypes.util, sys",
            "libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)",
            "def check(result, call):",
            "    if result == -1: sys.exit('%s: errno %d' % (call, ctypes.get_errno()))",
            "    return result",
            "");
    private static final String PYTHON_QUEUE = PYTHON_LIBC + String.join("\n",
            "class Msg(ctypes.Structure): _fields_ = [('mtype', ctypes.c_long), ('mtext', ctypes.c_char * 256)]",
            "libc.msgrcv.restype = ctypes.c_ssize_t",
            "libc.msgrcv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long, ctypes.c_int]",
            "libc.msgsnd.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]",
            "q = check(libc.msgget(int(sys.argv[1], 16), 0), 'msgget')",
            "m = Msg()",
            "for want in (-10, 0):  # the lowest type up to 10, then any",
            "    n = check(libc.msgrcv(q, ctypes.byref(m), 256, want, 0), 'msgrcv')",
            "    print(m.mtype, m.mtext[:n].decode(), flush=True)",
            "reply = Msg(42, b'pong from python')",
            "check(libc.msgsnd(q, ctypes.byref(reply), len(b'pong from python'), 0), 'msgsnd')");
    private static final String PYTHON_SEGMENT = PYTHON_LIBC + String.join("\n",
            "libc.shmat.restype = ctypes.c_void_p",
            "libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]",
            "libc.shmdt.argtypes = [ctypes.c_void_p]",
            "s = check(libc.shmget(int(sys.argv[1], 16), 0, 0), 'shmget')",
            "addr = libc.shmat(s, None, 0)",
            "if addr == ctypes.c_void_p(-1).value: sys.exit('shmat: errno %d' % ctypes.get_errno())",
            "print(ctypes.string_at(addr, 11).decode(), flush=True)",
            "ctypes.memmove(addr + 16, b'python was here', 15)",
            "libc.shmdt(ctypes.c_void_p(addr))");
    private static final String PYTHON_SEMAPHORE = PYTHON_LIBC + String.join("\n",
            "class Sembuf(ctypes.Structure): _fields_ = [('num', ctypes.c_ushort), ('op', ctypes.c_short), ('flg', ctypes.c_short)]",
            "libc.semop.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]",
            "s = check(libc.semget(int(sys.argv[1], 16), 0, 0), 'semget')",
            "ops = (Sembuf * 2)(Sembuf(0, -1, 0), Sembuf(1, 3, 0))",
            "check(libc.semop(s, ops, 2), 'semop')",
            "print('done', flush=True)");

    private final SysvFixture fixture = new SysvFixture();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws IOException {
        executor.shutdownNow();
        fixture.removeAll();
    }

    @Test
    void shouldBeListedByIpcsWithItsKeyAndMode0600() throws IOException {
        SysvKey key = fixture.key();
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(key));
             SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(key, 1000));
             SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(key, 0, 0, 0))) {
            queue.send(1, ByteBuffer.wrap("12345".getBytes(UTF_8)));
            // ipcs columns: key id owner perms, then used-bytes messages | bytes nattch | nsems
            assertThat(ipcs("-q")).contains(List.of(key.toString(), String.valueOf(queue.id()), "600", "5", "1"));
            assertThat(ipcs("-m")).contains(List.of(key.toString(), String.valueOf(segment.id()), "600", "1000", "0"));
            assertThat(ipcs("-s")).contains(List.of(key.toString(), String.valueOf(set.id()), "600", "3"));
        }
    }

    @Test
    void shouldExchangeTypedMessagesWithPython() throws IOException {
        SysvKey key = fixture.key();
        try (SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(key))) {
            queue.send(20, ByteBuffer.wrap("routine".getBytes(UTF_8)));
            queue.send(3, ByteBuffer.wrap("urgent".getBytes(UTF_8)));
            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_QUEUE, key.toString()).start()) {
                assertThat(python.nextLine(DEADLINE)).isEqualTo("3 urgent");
                assertThat(python.nextLine(DEADLINE)).isEqualTo("20 routine");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertThat(queue.tryReceive(buffer, MessageSelector.any())).isEqualTo(42);
            assertThat(UTF_8.decode(buffer.flip()).toString()).isEqualTo("pong from python");
        }
    }

    @Test
    void shouldShareASegmentWithPython() throws IOException {
        SysvKey key = fixture.key();
        try (SysvSharedMemory segment = fixture.track(SysvSharedMemory.create(key, 64));
             SharedMemoryAttachment attachment = segment.attach()) {
            attachment.buffer().put("hello, py!!".getBytes(UTF_8));
            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_SEGMENT, key.toString()).start()) {
                assertThat(python.nextLine(DEADLINE)).isEqualTo("hello, py!!");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }
            byte[] written = new byte[15];
            attachment.buffer().get(16, written);
            assertThat(new String(written, UTF_8)).isEqualTo("python was here");
        }
    }

    @Test
    void shouldWakeOurWaiterWhenPythonOperatesOnTheSet() throws Exception {
        SysvKey key = fixture.key();
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(key, 1, 0))) {
            Future<Boolean> waiter = executor.submit(() -> set.operate(DEADLINE, SemaphoreOperation.add(1, -3)));
            Awaitility.await().atMost(DEADLINE).until(() -> set.waitingForIncrease(1) == 1);
            try (ChildProcess python = ChildProcess.builder("python3", "-c", PYTHON_SEMAPHORE, key.toString()).start()) {
                assertThat(python.nextLine(DEADLINE)).isEqualTo("done");
                assertThat(python.awaitExit(DEADLINE)).as(python.stderr()).isZero();
            }
            assertThat(waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(set.values()).containsExactly(0, 0);
        }
    }

    @Test
    void shouldWakeOurBlockedReceiverWhenIpcrmRemovesTheQueue() throws Exception {
        SysvMessageQueue queue = fixture.track(SysvMessageQueue.create(SysvKey.PRIVATE));
        AtomicInteger tid = new AtomicInteger();
        Future<Long> receiver = executor.submit(() -> {
            tid.set(KernelWait.currentTid());
            return queue.receive(ByteBuffer.allocate(64), MessageSelector.any());
        });
        Awaitility.await().atMost(DEADLINE).until(() -> tid.get() != 0 && KernelWait.wchan(tid.get()).equals("do_msgrcv"));
        try (ChildProcess ipcrm = ChildProcess.builder("ipcrm", "-q", String.valueOf(queue.id())).start()) {
            ChildProcess.Outcome outcome = ipcrm.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        }
        Awaitility.await().atMost(DEADLINE).until(receiver::isDone);
        assertThatThrownBy(receiver::get).hasCauseInstanceOf(ErrnoException.class).hasMessageContaining("EIDRM");
    }

    /** The rows {@code ipcs OPTION} prints, each split into its columns. */
    private static List<List<String>> ipcs(String option) throws IOException {
        try (ChildProcess ipcs = ChildProcess.builder("ipcs", option).start()) {
            ChildProcess.Outcome outcome = ipcs.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
            return outcome.stdout().stream().filter(line -> line.startsWith("0x"))
                    .map(line -> {
                        List<String> columns = List.of(line.trim().split("\\s+"));
                        // key id owner perms, then the figures; the owner is a name, which we skip
                        return java.util.stream.Stream.concat(columns.subList(0, 2).stream(),
                                columns.subList(3, columns.size()).stream()).toList();
                    })
                    .map(columns -> option.equals("-m") ? columns.subList(0, 5) : columns)
                    .toList();
        }
    }
}
