package io.github.ipcatlas.sysv.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.github.ipcatlas.sysv.MessageSelector;
import io.github.ipcatlas.sysv.SemaphoreOperation;
import io.github.ipcatlas.sysv.SharedMemoryAttachment;
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
 *   <li>{@code write KEY TEXT}: attaches the segment KEY, writes TEXT at offset 0, exits.</li>
 * </ul>
 * Prints {@code ready} once its objects are open.
 */
public final class SysvPeers {
    /** What {@code produce} repeats after the sequence number: long enough that a torn copy would show. */
    public static final String PAYLOAD = "x".repeat(200);

    private SysvPeers() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "create-and-leave" -> createAndLeave(SysvKey.parse(args[1]), args[2]);
            case "produce" -> produce(Integer.parseInt(args[1]));
            case "hold" -> hold(Integer.parseInt(args[1]), args[2].equals("undo"));
            case "write" -> write(SysvKey.parse(args[1]), args[2]);
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

    private static void write(SysvKey key, String text) throws Exception {
        try (SysvSharedMemory segment = SysvSharedMemory.open(key); SharedMemoryAttachment attachment = segment.attach()) {
            System.out.println("ready");
            attachment.buffer().put(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
