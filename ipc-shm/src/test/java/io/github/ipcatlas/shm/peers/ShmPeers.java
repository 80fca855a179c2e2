package io.github.ipcatlas.shm.peers;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.github.ipcatlas.mmap.KillCampaign;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.LockResult;
import io.github.ipcatlas.shm.NamedSemaphore;
import io.github.ipcatlas.shm.RobustMutex;
import io.github.ipcatlas.shm.SharedLong;
import io.github.ipcatlas.shm.SharedMemory;

/**
 * Child-JVM roles, by first argument:
 * <ul>
 *   <li>{@code add NAME TIMES}: prints {@code ready} and adds 1 to the long at offset 0 TIMES times;</li>
 *   <li>{@code lock-and-hang NAME}: locks the mutex at offset 0, writes 1 after it (half an update), prints
 *       {@code locked} and waits to be killed;</li>
 *   <li>{@code locked-add NAME TIMES}: adds 1 to the long after the mutex, TIMES times, under the mutex;</li>
 *   <li>{@code sem-echo REQUEST REPLY COUNT}: answers COUNT acquires of one semaphore with releases of the other;</li>
 *   <li>{@code ticket-victim NAME SLOT} (a {@link KillCampaign} victim): takes tickets from the counter at offset 0
 *       ({@code getAndAdd}) and records each one it got in its slot, until killed;</li>
 *   <li>{@code mutex-victim NAME} (a kill-campaign victim): under the mutex at offset 0, moves the pair of longs after
 *       it from (n, n) to (n+1, n+1) one field at a time, repairing a pair a dead owner left half done.</li>
 * </ul>
 */
public final class ShmPeers {
    /** Where the ticket victims record their tickets: slot i at TICKET_SLOTS + 8i. */
    public static final int TICKET_SLOTS = 64;
    /** The pair the mutex victims update, after the mutex. */
    public static final int PAIR_FIRST = RobustMutex.BYTES;
    public static final int PAIR_SECOND = RobustMutex.BYTES + 64;

    private ShmPeers() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "add" -> add(args[1], Integer.parseInt(args[2]));
            case "lock-and-hang" -> lockAndHang(args[1]);
            case "locked-add" -> lockedAdd(args[1], Integer.parseInt(args[2]));
            case "sem-echo" -> semEcho(args[1], args[2], Integer.parseInt(args[3]));
            case "ticket-victim" -> ticketVictim(args);
            case "mutex-victim" -> mutexVictim(args);
            case "two-names" -> twoNames(args[1], args[2]);
            case "sealed-locked-add" -> sealedLockedAdd(java.nio.file.Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void add(String name, int times) throws Exception {
        try (SharedMemory segment = SharedMemory.open(name, false)) {
            SharedLong counter = new SharedLong(segment.memory(), 0);
            ready("ready");
            for (int i = 0; i < times; i++) {
                counter.getAndAdd(1);
            }
        }
    }

    private static void lockAndHang(String name) throws Exception {
        try (SharedMemory segment = SharedMemory.open(name, false)) {
            RobustMutex mutex = RobustMutex.attach(segment.memory(), 0);
            mutex.lock();
            segment.memory().putLong(RobustMutex.BYTES, 1); // half-way through an update
            ready("locked");
            new CountDownLatch(1).await(); // until killed, holding the lock
        }
    }

    private static void lockedAdd(String name, int times) throws Exception {
        try (SharedMemory segment = SharedMemory.open(name, false)) {
            RobustMutex mutex = RobustMutex.attach(segment.memory(), 0);
            MappedFile memory = segment.memory();
            ready("ready");
            for (int i = 0; i < times; i++) {
                mutex.withLock(() -> {
                    memory.putLong(RobustMutex.BYTES, memory.getLong(RobustMutex.BYTES) + 1); // plain read, plain write
                    return null;
                }, () -> {
                    throw new IllegalStateException("no owner dies in this test");
                });
            }
        }
    }

    private static void semEcho(String requestName, String replyName, int count) throws Exception {
        try (NamedSemaphore request = NamedSemaphore.open(requestName);
             NamedSemaphore reply = NamedSemaphore.open(replyName)) {
            ready("ready");
            for (int i = 0; i < count; i++) {
                if (!request.tryAcquire(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("no request " + i + " within 30 s");
                }
                reply.release();
            }
        }
    }

    private static void ticketVictim(String[] args) throws Exception {
        // the segment's file mapped directly: the same memory as SharedMemory.open, without loading native bindings,
        // which would triple the victim's start-up
        try (MappedFile memory = MappedFile.map(SharedMemory.DEV_SHM.resolve(args[1].substring(1)), MapMode.READ_WRITE)) {
            SharedLong counter = new SharedLong(memory, 0);
            SharedLong taken = new SharedLong(memory, TICKET_SLOTS + 8L * Integer.parseInt(args[2]));
            KillCampaign.awaitTurn(args);
            ready("running");
            for (long count = 1; ; count++) {
                counter.getAndAdd(1);     // commit: the ticket is taken
                taken.setRelease(count);  // then recorded; a kill in between loses the record, never the ticket
            }
        }
    }

    private static void mutexVictim(String[] args) throws Exception {
        try (SharedMemory segment = SharedMemory.open(args[1], false)) {
            RobustMutex mutex = RobustMutex.attach(segment.memory(), 0);
            MappedFile memory = segment.memory();
            KillCampaign.awaitTurn(args);
            ready("running");
            while (true) {
                if (mutex.lock() == LockResult.OWNER_DIED) {
                    memory.putLong(PAIR_SECOND, memory.getLong(PAIR_FIRST)); // finish the dead owner's update
                    mutex.markConsistent();
                }
                try {
                    long next = memory.getLong(PAIR_FIRST) + 1;
                    memory.putLong(PAIR_FIRST, next); // between these two stores the pair is inconsistent
                    memory.putLong(PAIR_SECOND, next);
                } finally {
                    mutex.unlock();
                }
            }
        }
    }

    private static void ready(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Creates a segment named {@code first} and says whether {@code second} names another (in this JVM's charset). */
    private static void twoNames(String first, String second) throws Exception {
        try (SharedMemory segment = SharedMemory.create(first, 8)) {
            try (SharedMemory other = SharedMemory.open(second, true)) {
                System.out.println("same object under both names (default charset " + java.nio.charset.Charset.defaultCharset() + ")");
            } catch (java.nio.file.NoSuchFileException expected) {
                System.out.println("distinct");
            }
        } catch (IllegalArgumentException refused) {
            System.out.println("refused: " + refused.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(first); // names go to C as UTF-8: this works whatever the locale
        }
    }

    /** Opens sealed memory by path and adds 1 to the long at 64, TIMES times, under the robust mutex at 0. */
    private static void sealedLockedAdd(java.nio.file.Path path, int times) throws Exception {
        try (io.github.ipcatlas.shm.SealedMemory memory = io.github.ipcatlas.shm.SealedMemory.open(path, false)) {
            RobustMutex mutex = RobustMutex.attach(memory.memory(), 0);
            for (int i = 0; i < times; i++) {
                mutex.lock();
                try {
                    memory.memory().putLong(64, memory.memory().getLong(64) + 1);
                } finally {
                    mutex.unlock();
                }
            }
        }
        System.out.println("done");
    }
}
