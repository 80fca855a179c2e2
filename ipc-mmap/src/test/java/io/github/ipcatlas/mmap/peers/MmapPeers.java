package io.github.ipcatlas.mmap.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.github.ipcatlas.mmap.FileRegionLock;
import io.github.ipcatlas.mmap.LogRecords;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.mmap.MappedLog;
import io.github.ipcatlas.mmap.SeqLockRecord;

/**
 * Child-JVM roles for the cross-process tests, by first argument:
 * <ul>
 *   <li>{@code log-writer FILE CAPACITY BUDGET}: opens (recovers) the log, prints {@code resumed N}, appends
 *       {@link LogRecords#payload} records from N on, at most BUDGET of them, then waits to be killed;</li>
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
            case "log-writer" -> logWriter(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
            case "seqlock-writer" -> seqlockWriter(Path.of(args[1]), Integer.parseInt(args[2]));
            case "lock" -> lock(Path.of(args[1]), args[2].equals("shared"), Long.parseLong(args[3]));
            case "write-bytes" -> writeBytes(Path.of(args[1]), Long.parseLong(args[2]), args[3]);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void logWriter(Path file, long capacity, long budget) throws Exception {
        try (MappedLog log = MappedLog.open(file, capacity)) {
            System.out.println("resumed " + log.count());
            System.out.flush();
            // a budget per run, so the log cannot fill up however late the kill comes
            for (long end = log.count() + budget; log.count() < end; ) {
                log.append(ByteBuffer.wrap(LogRecords.payload(log.count())));
            }
            new CountDownLatch(1).await(); // wait to be killed, as the test expects
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
