package io.github.ipcatlas.shm.peers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.ipcatlas.mmap.KillCampaign;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.RingConsumer;
import io.github.ipcatlas.shm.RingLayout;
import io.github.ipcatlas.shm.RingMessages;
import io.github.ipcatlas.shm.RingProducer;
import io.github.ipcatlas.shm.SharedMemory;
import io.github.ipcatlas.shm.ShmRing;

/**
 * Child-JVM roles around a ring at the start of segment NAME, by first argument:
 * <ul>
 *   <li>{@code produce NAME COUNT STRATEGY}: sends COUNT {@link RingMessages} (copying);</li>
 *   <li>{@code stream NAME COUNT}: commits COUNT 16-byte records in place, each holding its index twice;</li>
 *   <li>{@code wake NAME}: waits until the consumer announces that it sleeps, then sends one message (index 0);</li>
 *   <li>{@code attach-and-hang NAME}: attaches as producer, prints {@code ready}, sends nothing until killed;</li>
 *   <li>{@code producer-victim NAME VICTIM} ({@link KillCampaign}): attaches (recovering), then commits records
 *       {@code [VICTIM, n, pattern…]} for n = 0, 1, … until killed;</li>
 *   <li>{@code consumer-victim NAME} ({@link KillCampaign}): attaches (recovering) and reads records carrying
 *       consecutive sequence numbers in random batches, checking that the first one follows what its predecessor
 *       committed and no later than what it was given (the {@link #DELIVERED} and {@link #COMMITTED} slots after
 *       the ring), until killed; exits 3 on a violation.</li>
 * </ul>
 */
public final class RingPeers {
    /** Bytes of a victim record: victim, index, then a pattern. */
    public static final int VICTIM_RECORD = 64;
    /** After the ring: the last sequence a consumer victim was handed, and the last it committed. */
    public static final long DELIVERED = 0;
    public static final long COMMITTED = 64;

    private RingPeers() {
    }

    public static void main(String[] args) throws Exception {
        // the victims map the segment's file directly: the same memory as SharedMemory.open, without loading native
        // bindings (their strategy never sleeps), which would triple a victim's start-up
        MappedFile memory = args[0].endsWith("-victim")
                ? MappedFile.map(SharedMemory.DEV_SHM.resolve(args[1].substring(1)), MapMode.READ_WRITE)
                : SharedMemory.open(args[1], false).memory();
        switch (args[0]) {
            case "produce" -> produce(memory, Integer.parseInt(args[2]), ShmRing.WaitStrategy.valueOf(args[3]));
            case "stream" -> stream(memory, Long.parseLong(args[2]));
            case "wake" -> wake(memory);
            case "attach-and-hang" -> attachAndHang(memory);
            case "producer-victim" -> producerVictim(memory, args);
            case "consumer-victim" -> consumerVictim(memory, args);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        memory.close();
    }

    private static void produce(MappedFile memory, int count, ShmRing.WaitStrategy strategy) throws Exception {
        RingProducer producer = ShmRing.producer(memory, strategy);
        ready("ready");
        ByteBuffer message = ByteBuffer.allocateDirect(512);
        for (int i = 0; i < count; i++) {
            RingMessages.fill(message.clear(), i);
            if (!producer.send(message.flip(), Duration.ofSeconds(30))) {
                throw new IllegalStateException("ring full for 30 s at message " + i);
            }
        }
    }

    private static void stream(MappedFile memory, long count) throws Exception {
        RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
        ready("ready");
        for (long i = 0; i < count; i++) {
            long at = producer.claim(16, Duration.ofSeconds(30));
            if (at < 0) {
                throw new IllegalStateException("ring full for 30 s at record " + i);
            }
            memory.putLong(at, i);
            memory.putLong(at + 8, ~i);
            producer.commit();
        }
    }

    private static void wake(MappedFile memory) throws Exception {
        RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
        ready("ready");
        while (memory.getIntVolatile(RingLayout.CONSUMER_SLEEPING) == 0) {
            Thread.onSpinWait();
        }
        ByteBuffer message = ByteBuffer.allocate(8);
        RingMessages.fill(message, 0);
        producer.send(message.flip());
    }

    private static void attachAndHang(MappedFile memory) throws Exception {
        ShmRing.producer(memory, ShmRing.WaitStrategy.SPIN);
        ready("ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void producerVictim(MappedFile memory, String[] args) throws Exception {
        long victim = Long.parseLong(args[2]);
        KillCampaign.awaitTurn(args); // attach only now: attaching recovers from the last producer, who must be dead
        RingProducer producer = ShmRing.producer(memory, ShmRing.WaitStrategy.YIELD);
        ready("running");
        for (long n = 0; ; n++) {
            long at = producer.claim(VICTIM_RECORD, Duration.ofSeconds(60));
            if (at < 0) {
                throw new IllegalStateException("no room for 60 s");
            }
            memory.putLong(at, victim);
            memory.putLong(at + 8, n);
            for (int i = 16; i < VICTIM_RECORD; i += 8) {
                memory.putLong(at + i, victim * 31 + n * 7 + i);
            }
            producer.commit();
        }
    }

    private static void consumerVictim(MappedFile memory, String[] args) throws Exception {
        long extra = RingLayout.segmentBytes(memory.getLongVolatile(RingLayout.CAPACITY));
        KillCampaign.awaitTurn(args); // attach only now: attaching recovers from the last consumer, who must be dead
        long committedBefore = memory.getLongAcquire(extra + COMMITTED);
        long deliveredBefore = memory.getLongAcquire(extra + DELIVERED);
        RingConsumer consumer = ShmRing.consumer(memory, ShmRing.WaitStrategy.YIELD);
        ready("running");
        long[] expected = {-1};
        while (true) {
            int batch = 1 + ThreadLocalRandom.current().nextInt(16);
            consumer.read((map, offset, length) -> {
                long sequence = map.getLong(offset);
                if (expected[0] < 0) { // the first record this consumer sees
                    if (sequence < committedBefore + 1 || sequence > deliveredBefore + 1) {
                        System.err.println("first record " + sequence + " outside [" + (committedBefore + 1) + ", "
                                + (deliveredBefore + 1) + "]: a committed record came again, or one was lost");
                        System.exit(3);
                    }
                } else if (sequence != expected[0]) {
                    System.err.println("record " + sequence + " where " + expected[0] + " was expected");
                    System.exit(3);
                }
                expected[0] = sequence + 1;
                map.setLongRelease(extra + DELIVERED, sequence);
            }, batch);
            if (expected[0] > 0) {
                memory.setLongRelease(extra + COMMITTED, expected[0] - 1); // after read() committed the batch
            }
        }
    }

    private static void ready(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
