package io.github.ipcatlas.mmap.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.github.ipcatlas.mmap.FileRegionLock;
import io.github.ipcatlas.mmap.KillCampaign;
import io.github.ipcatlas.mmap.LogRecords;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.MappedLog;
import io.github.ipcatlas.mmap.SeqLockRecord;
import io.github.ipcatlas.mmap.SeqLockValues;

/**
 * Child-JVM roles for the cross-process tests, by first argument:
 * <ul>
 *   <li>{@code log-victim FILE CAPACITY BUDGET} (a {@link io.github.ipcatlas.mmap.KillCampaign} victim): opens
 *       (recovers) the log, waits for its turn, prints {@code running}, appends {@link LogRecords#payload} records
 *       from its count on, at most BUDGET of them, then waits to be killed;</li>
 *   <li>{@code seqlock-victim FILE CAPACITY} (a kill-campaign victim): maps FILE, waits for its turn, prints
 *       {@code running} and writes {@link SeqLockValues} versions of the record at offset 0 until killed;</li>
 *   <li>{@code seqlock-writer FILE WRITES}: writes WRITES versions of the record at offset 0 (capacity 256);</li>
 *   <li>{@code lock FILE shared|exclusive TIMEOUT_MS}: prints {@code locked} and holds the lock until killed, or
 *       prints {@code timeout};</li>
 *   <li>{@code write-bytes FILE OFFSET TEXT}: maps FILE and writes TEXT at OFFSET.</li>
 * </ul>
 */
public final class MmapPeers {
    private MmapPeers() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "log-victim" -> logVictim(args);
            case "seqlock-victim" -> seqlockVictim(args);
            case "seqlock-writer" -> seqlockWriter(Path.of(args[1]), Integer.parseInt(args[2]));
            case "lock" -> lock(Path.of(args[1]), args[2].equals("shared"), Long.parseLong(args[3]));
            case "write-bytes" -> writeBytes(Path.of(args[1]), Long.parseLong(args[2]), args[3]);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void logVictim(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long capacity = Long.parseLong(args[2]);
        long budget = Long.parseLong(args[3]);
        KillCampaign.awaitTurn(args);
        try (MappedLog log = MappedLog.open(file, capacity)) { // recovers only now: the last writer is dead
            System.out.println("running");
            System.out.flush();
            // a budget per run, so the log cannot fill up however late the kill comes
            for (long end = log.count() + budget; log.count() < end; ) {
                log.append(ByteBuffer.wrap(LogRecords.payload(log.count())));
            }
            new CountDownLatch(1).await(); // wait to be killed, as the test expects
        }
    }

    private static void seqlockVictim(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        int capacity = Integer.parseInt(args[2]);
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, capacity);
            ByteBuffer payload = ByteBuffer.allocate(capacity);
            KillCampaign.awaitTurn(args);
            System.out.println("running");
            System.out.flush();
            for (long version = record.version() + 1; ; version++) {
                record.write(SeqLockValues.fill(payload.clear(), version, capacity).flip());
            }
        }
    }

    private static void seqlockWriter(Path file, int writes) throws Exception {
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            SeqLockRecord record = new SeqLockRecord(map, 0, 256);
            ByteBuffer payload = ByteBuffer.allocate(256);
            System.out.println("ready");
            for (int version = 1; version <= writes; version++) {
                int length = 1 + version % 256;
                payload.clear();
                for (int i = 0; i < length; i++) {
                    payload.put((byte) version);
                }
                record.write(payload.flip());
            }
        }
    }

    private static void lock(Path file, boolean shared, long timeoutMillis) throws Exception {
        try (FileRegionLock lock = FileRegionLock.lock(file, shared, Duration.ofMillis(timeoutMillis))) {
            System.out.println("locked");
            System.out.flush();
            new CountDownLatch(1).await(); // hold until killed
        } catch (io.github.ipcatlas.core.IpcTimeoutException e) {
            System.out.println("timeout");
        }
    }

    private static void writeBytes(Path file, long offset, String text) throws Exception {
        try (MappedFile map = MappedFile.map(file, MapMode.READ_WRITE)) {
            map.put(offset, ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
