package io.github.ipcatlas.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.kenai.jffi.MemoryIO;

import io.github.ipcatlas.mmap.access.NativeAccess;

/**
 * No sequence of calls on a mapping crashes the JVM: use after close, close racing readers and writers in other
 * threads, many threads closing at once, a native call holding a lease across close. (Before the lifetime rules,
 * close racing a reader killed this JVM with SIGSEGV on JDK 17; closing JDK 22's shared arenas under the race test
 * killed it in about one run in fifteen on Temurin 25.0.3.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappedFileLifetimeTest {
    private static final int ROUNDS = 300;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnAddressLeaseReleasedTwiceSoThatALaterLeaseStillKeepsTheMemoryMapped() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("twice"), 4096, Growth.PREALLOCATE)) {
            NativeAccess.acquire(map, 0, 8);
            NativeAccess.release(map);
            assertThatThrownBy(() -> NativeAccess.release(map)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never taken");
            long address = NativeAccess.acquire(map, 0, 8);
            map.close(); // a lease is held: the memory stays mapped until it is released
            MemoryIO.getInstance().putLong(address, 42);
            assertThat(MemoryIO.getInstance().getLong(address)).isEqualTo(42);
            NativeAccess.release(map);
        }
    }

    @Test
    void shouldRefuseToLetAnythingButMappedFileInstallTheLookupOfRegions() {
        assertThatThrownBy(() -> io.github.ipcatlas.mmap.internal.Regions.install(map -> null))
                .isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("only MappedFile");
    }

    @Test
    void shouldRefuseEveryAccessAfterCloseWithIllegalStateException() throws IOException {
        MappedFile map = MappedFile.create(dir.resolve("closed"), 4096, Growth.PREALLOCATE);
        map.close();
        List<Consumer<MappedFile>> accesses = List.of(m -> m.getByte(0), m -> m.putByte(0, (byte) 1), m -> m.getInt(0),
                m -> m.putInt(0, 1), m -> m.getLong(0), m -> m.putLong(0, 1), m -> m.get(0, ByteBuffer.allocate(8)),
                m -> m.put(0, ByteBuffer.allocate(8)), m -> m.getLongAcquire(0), m -> m.setLongRelease(0, 1),
                m -> m.getLongVolatile(0), m -> m.setLongVolatile(0, 1), m -> m.compareAndSetLong(0, 0, 1),
                m -> m.getAndAddLong(0, 1), m -> m.getIntVolatile(0), m -> m.setIntVolatile(0, 1),
                m -> m.compareAndSetInt(0, 0, 1), m -> m.getAndAddInt(0, 1), m -> m.getIntAcquire(0),
                m -> m.setIntRelease(0, 1), MappedFile::force, m -> m.force(0, 8));
        for (Consumer<MappedFile> access : accesses) {
            assertThatThrownBy(() -> access.accept(map)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the mapping is closed");
        }
        assertThatThrownBy(map::verifyNotTruncated).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NativeAccess.acquire(map, 0, 8)).isInstanceOf(IllegalStateException.class);
        assertThat(map).hasToString("MappedFile[" + map.file() + ", READ_WRITE, 4096 bytes at 0, closed]");
    }

    @Test
    void shouldCloseExactlyOnceWhenManyThreadsCloseAtOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            MappedFile map = MappedFile.create(dir.resolve("many-closers"), 4096, Growth.PREALLOCATE);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> closers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                closers.add(started(() -> {
                    awaitQuietly(go);
                    try {
                        map.close();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            go.countDown();
            for (Thread closer : closers) {
                closer.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(map.isOpen()).isFalse();
        }
    }

    @Test
    void shouldNeverCrashWhenCloseRacesReadersAndWritersInOtherThreads() throws Exception {
        Path file = dir.resolve("raced");
        for (int round = 0; round < ROUNDS; round++) {
            MappedFile map = MappedFile.create(file, 64 * 1024, Growth.PREALLOCATE);
            CountDownLatch started = new CountDownLatch(2);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            Thread reader = started(() -> hammer(map, started, unexpected, false));
            Thread writer = started(() -> hammer(map, started, unexpected, true));
            started.await();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
            map.close();
            reader.join();
            writer.join();
            assertThat(unexpected.get()).as("round %d: the only failure is IllegalStateException", round).isNull();
        }
    }

    @Test
    void shouldKeepTheMemoryMappedForANativeCallThatHoldsALeaseAcrossClose() throws IOException {
        Path file = dir.resolve("leased");
        MappedFile map = MappedFile.create(file, 4096, Growth.PREALLOCATE);
        map.putLong(64, 0x1234_5678_9abcL);
        long address = NativeAccess.acquire(map, 64, Long.BYTES);
        map.close();
        assertThat(map.isOpen()).isFalse();
        assertThatThrownBy(() -> map.getLong(64)).isInstanceOf(IllegalStateException.class);
        // what a native call in flight does with its address: still mapped, still the file's bytes
        assertThat(MemoryIO.getInstance().getLong(address)).isEqualTo(0x1234_5678_9abcL);
        assertThat(mapped(file)).as("mapped while the lease is held").isTrue();
        NativeAccess.release(map);
        // nothing unmaps but the collector, on every JDK: the memory stays while the mapping is reachable
        assertThat(mapped(file)).as("mapped after the last lease").isTrue();
        java.lang.ref.Reference.reachabilityFence(map); // a collection could unmap it before the check
    }

    @Test
    void shouldRefuseLeasesOutsideTheMappingBeforeTakingOne() throws IOException {
        try (MappedFile map = MappedFile.create(dir.resolve("bounds"), 4096, Growth.PREALLOCATE)) {
            assertThatThrownBy(() -> NativeAccess.acquire(map, 4090, 8)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset 4090 (+8 bytes)");
            assertThatThrownBy(() -> NativeAccess.acquire(map, -8, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /** Reads (or writes) the mapping in a loop until the close makes it throw; anything else is recorded. */
    private static void hammer(MappedFile map, CountDownLatch started, AtomicReference<Throwable> unexpected, boolean write) {
        ByteBuffer bytes = ByteBuffer.allocate(512);
        started.countDown();
        try {
            for (long i = 0; ; i++) {
                long offset = (i * 520) % (map.length() - 512);
                if (write) {
                    map.putLong(offset & ~7, i);
                    map.setLongRelease(offset & ~7, i);
                    map.put(offset, bytes.clear());
                } else {
                    map.getLong(offset);
                    map.getLongAcquire(offset & ~7);
                    map.get(offset, bytes.clear());
                }
            }
        } catch (IllegalStateException expected) {
            // the only way out
        } catch (Throwable t) {
            unexpected.set(t);
        }
    }

    private static boolean mapped(Path file) throws IOException {
        String name = file.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.endsWith(" " + name));
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
