package io.github.ipcatlas.sysv.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.ipcatlas.core.ProcFs;
import io.github.ipcatlas.sysv.MessageSelector;
import io.github.ipcatlas.sysv.SemaphoreOperation;
import io.github.ipcatlas.sysv.SharedMemoryAttachment;
import io.github.ipcatlas.sysv.SysvHandle;
import io.github.ipcatlas.sysv.SysvKey;
import io.github.ipcatlas.sysv.SysvMessageQueue;
import io.github.ipcatlas.sysv.SysvSemaphoreSet;
import io.github.ipcatlas.sysv.SysvSharedMemory;

/**
 * Child-JVM roles for the cross-process tests, chosen by the first argument:
 * <ul>
 *   <li>{@code echo ID COUNT}: takes COUNT messages of type 1 from queue ID and answers each, in upper case, with
 *       type 2 on the same queue;</li>
 *   <li>{@code create-and-leave KEY TEXT}: creates a queue with KEY, sends TEXT as type 4, exits without removing;</li>
 *   <li>{@code produce ID}: sends {@code i:PAYLOAD} messages of type 1 to queue ID until killed;</li>
 *   <li>{@code hold ID undo|plain}: takes semaphore 0 of set ID, with SEM_UNDO or without, prints {@code held} and
 *       waits to be killed;</li>
 *   <li>{@code write KEY TEXT}: attaches the segment KEY, writes TEXT at offset 0, exits;</li>
 *   <li>{@code reuse shm|sem}: in a private IPC namespace (it writes {@code kernel.shm_next_id} or
 *       {@code kernel.sem_next_id}), keeps a handle on an object, removes it, makes the id come back on a smaller
 *       segment or a larger set, and uses the old handle: prints what happened, or crashes the JVM trying;</li>
 *   <li>{@code msgmax-raised}: in a private IPC namespace, receives once (reading {@code kernel.msgmax}), raises
 *       {@code kernel.msgmax} to 65536, has python3 send a 20000-byte message, and prints the length it receives;</li>
 *   <li>{@code exhaust msg|shm|sem}: in a private IPC namespace, lowers the namespace's count of queues
 *       ({@code kernel.msgmni}), segments ({@code kernel.shmmni}) or sets ({@code kernel.sem} field 4) to
 *       {@link #EXHAUSTED_LIMIT}, creates objects until refused, and prints how many it made and the refusal.</li>
 * </ul>
 * Prints {@code ready} once its objects are open.
 */
public final class SysvPeers {
    /** What {@code produce} repeats after the sequence number: long enough that a torn copy would show. */
    public static final String PAYLOAD = "x".repeat(200);
    /** What {@code exhaust} lowers its limit to: small, so that running out costs the host nothing. */
    public static final int EXHAUSTED_LIMIT = 4;

    private SysvPeers() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "create-and-leave" -> createAndLeave(SysvKey.parse(args[1]), args[2]);
            case "produce" -> produce(Integer.parseInt(args[1]));
            case "hold" -> hold(Integer.parseInt(args[1]), args[2].equals("undo"));
            case "write" -> write(SysvKey.parse(args[1]), args[2]);
            case "reuse" -> reuse(args[1].equals("shm"));
            case "msgmax-raised" -> msgmaxRaised();
            case "exhaust" -> exhaust(args[1]);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void echo(int id, int count) throws Exception {
        try (SysvMessageQueue queue = SysvMessageQueue.ofId(id)) {
            System.out.println("ready");
            ByteBuffer buffer = ByteBuffer.allocate(256);
            MessageSelector requests = MessageSelector.ofType(1);
            for (int i = 0; i < count; i++) {
                queue.receive(buffer.clear(), requests);
                String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString().toUpperCase(Locale.ROOT);
                queue.send(2, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static void createAndLeave(SysvKey key, String text) throws Exception {
        try (SysvMessageQueue queue = SysvMessageQueue.create(key)) {
            queue.send(4, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            System.out.println("ready");
        }
    }

    private static void produce(int id) throws Exception {
        try (SysvMessageQueue queue = SysvMessageQueue.ofId(id)) {
            for (long i = 0; ; i++) {
                queue.send(1, ByteBuffer.wrap((i + ":" + PAYLOAD).getBytes(StandardCharsets.UTF_8)));
                if (i == 0) {
                    System.out.println("ready");
                }
            }
        }
    }

    private static void hold(int id, boolean undo) throws Exception {
        try (SysvSemaphoreSet set = SysvSemaphoreSet.ofId(id)) {
            SemaphoreOperation take = SemaphoreOperation.acquire(0);
            set.operate(undo ? take.withUndo() : take);
            System.out.println("held");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void reuse(boolean sharedMemory) throws Exception {
        String nextId = sharedMemory ? "/proc/sys/kernel/shm_next_id" : "/proc/sys/kernel/sem_next_id";
        if (sharedMemory) {
            SysvSharedMemory big = SysvSharedMemory.create(SysvKey.PRIVATE, 1 << 20);
            SysvSharedMemory stale = SysvSharedMemory.ofId(big.id());
            big.remove();
            java.nio.file.Files.writeString(java.nio.file.Path.of(nextId), String.valueOf(big.id()));
            SysvSharedMemory small = SysvSharedMemory.create(SysvKey.PRIVATE, 4096);
            System.out.println(small.id() == big.id() ? "reused" : "not reused");
            try (SharedMemoryAttachment attachment = stale.attach()) {
                java.nio.ByteBuffer view = attachment.buffer();
                view.get(view.limit() - 1);
                System.out.println("attached " + attachment.size() + " bytes of a handle that said " + stale.size());
            } finally {
                small.remove();
            }
        } else {
            SysvSemaphoreSet one = SysvSemaphoreSet.create(SysvKey.PRIVATE, 1);
            SysvSemaphoreSet stale = SysvSemaphoreSet.ofId(one.id());
            one.remove();
            java.nio.file.Files.writeString(java.nio.file.Path.of(nextId), String.valueOf(one.id()));
            SysvSemaphoreSet many = SysvSemaphoreSet.create(SysvKey.PRIVATE, new int[30000]);
            System.out.println(many.id() == one.id() ? "reused" : "not reused");
            try {
                stale.values();
                System.out.println("read the values of another set");
            } catch (java.io.IOException refused) {
                System.out.println("refused: " + refused.getMessage());
            } finally {
                many.remove();
            }
        }
    }

    private static void msgmaxRaised() throws Exception {
        // a capacity for the large message first: new queues take kernel.msgmnb
        java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/kernel/msgmnb"), "65536");
        try (SysvMessageQueue queue = SysvMessageQueue.create(SysvKey.of(0x5A5A5A5A))) {
            ByteBuffer room = ByteBuffer.allocateDirect(65536);
            System.out.println("before: " + queue.tryReceive(room, MessageSelector.any()));
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/kernel/msgmax"), "65536");
            Process python = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import ctypes",
                    "libc = ctypes.CDLL(None, use_errno=True)",
                    "q = libc.msgget(0x5A5A5A5A, 0)",
                    "buf = ctypes.create_string_buffer(8 + 20000)",
                    "ctypes.memmove(buf, ctypes.byref(ctypes.c_long(3)), 8)",
                    "assert libc.msgsnd(q, buf, 20000, 0) == 0, ctypes.get_errno()")).inheritIO().start();
            if (python.waitFor() != 0) {
                throw new IllegalStateException("python3 could not send");
            }
            long type = queue.receive(room, MessageSelector.any(), java.time.Duration.ofSeconds(10));
            System.out.println("after: type " + type + ", " + room.position() + " bytes");
            queue.remove();
        }
    }

    private static void exhaust(String kind) throws Exception {
        if (!List.of("msg", "shm", "sem").contains(kind)) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        Path sysctl = Path.of("/proc/sys/kernel", kind.equals("sem") ? "sem" : kind + "mni");
        String limit = String.valueOf(EXHAUSTED_LIMIT);
        if (kind.equals("sem")) { // SEMMSL SEMMNS SEMOPM SEMMNI: only the fourth, the number of sets, is lowered
            String[] fields = ProcFs.read(sysctl).split("\\s+");
            limit = fields[0] + " " + fields[1] + " " + fields[2] + " " + limit;
        }
        Files.writeString(sysctl, limit);
        List<SysvHandle> created = new ArrayList<>();
        try {
            // bounded: a limit the namespace ignored must fail the test, not fill the host
            while (created.size() <= 2 * EXHAUSTED_LIMIT) {
                created.add(switch (kind) {
                    case "msg" -> SysvMessageQueue.create(SysvKey.PRIVATE);
                    case "shm" -> SysvSharedMemory.create(SysvKey.PRIVATE, 4096);
                    default -> SysvSemaphoreSet.create(SysvKey.PRIVATE, 1);
                });
            }
            System.out.println("created " + created.size() + ", never refused");
        } catch (IOException refused) {
            System.out.println("created " + created.size());
            System.out.println("refused: " + refused.getMessage());
        } finally {
            for (SysvHandle handle : created) {
                try (handle) {
                    handle.remove();
                }
            }
        }
    }

    private static void write(SysvKey key, String text) throws Exception {
        try (SysvSharedMemory segment = SysvSharedMemory.open(key); SharedMemoryAttachment attachment = segment.attach()) {
            System.out.println("ready");
            attachment.buffer().put(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
