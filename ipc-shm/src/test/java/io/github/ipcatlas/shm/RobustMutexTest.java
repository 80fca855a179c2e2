package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;
import io.github.ipcatlas.shm.peers.ShmPeers;

@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RobustMutexTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long DATA = RobustMutex.BYTES;
    private final String name = IpcNames.unique("t-mutex");

    @AfterEach
    void unlink() throws IOException {
        SharedMemory.unlinkIfExists(name);
    }

    @Test
    void shouldHandTheLockOverWithOwnerDiedWhenTheHolderIsKilled() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            try (ChildProcess holder = peer("lock-and-hang", name)) {
                holder.awaitLine("locked", DEADLINE);
                assertThat(mutex.tryLock(Duration.ofMillis(50))).as("held by the other process").isEqualTo(LockResult.TIMED_OUT);

                holder.kill(9);
                assertThat(holder.awaitExit(DEADLINE)).isEqualTo(128 + 9);
            }
            assertThat(mutex.lock()).isEqualTo(LockResult.OWNER_DIED);
            assertThat(segment.memory().getLong(DATA)).as("the dead owner's half-done update is visible").isEqualTo(1);
            segment.memory().putLong(DATA, 0); // repair
            mutex.markConsistent();
            mutex.unlock();

            assertThat(mutex.tryLock(Duration.ZERO)).as("usable again").isEqualTo(LockResult.ACQUIRED);
            mutex.unlock();
        }
    }

    @Test
    void shouldRepairThenRunTheActionWithLockAfterTheOwnerDied() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            dieHoldingTheMutex();
            List<String> steps = new ArrayList<>();
            long result = mutex.withLock(() -> {
                steps.add("action");
                return segment.memory().getLong(DATA);
            }, () -> {
                steps.add("repair");
                segment.memory().putLong(DATA, 41);
            });

            assertThat(steps).containsExactly("repair", "action");
            assertThat(result).isEqualTo(41);
            assertThat(mutex.withLock(() -> "again", () -> steps.add("unexpected"))).isEqualTo("again");
            assertThat(steps).hasSize(2);
        }
    }

    @Test
    void shouldBecomeUnrecoverableIfReleasedWithoutMarkingItConsistent() throws IOException {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            dieHoldingTheMutex();
            assertThat(mutex.lock()).isEqualTo(LockResult.OWNER_DIED);
            mutex.unlock(); // without markConsistent

            assertThatThrownBy(mutex::lock).isInstanceOf(MutexNotRecoverableException.class)
                    .hasMessageContaining("ENOTRECOVERABLE").hasMessageContaining("initialise a new mutex");
        }
    }

    @Test
    void shouldKeepANonAtomicUpdateExactAcrossSeveralJvms() throws IOException {
        int each = 20_000;
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            List<ChildProcess> adders = new ArrayList<>();
            try {
                for (int p = 0; p < 2; p++) {
                    adders.add(peer("locked-add", name, String.valueOf(each)));
                }
                for (int i = 0; i < each; i++) {
                    assertThat(mutex.lock()).isEqualTo(LockResult.ACQUIRED);
                    try {
                        segment.memory().putLong(DATA, segment.memory().getLong(DATA) + 1);
                    } finally {
                        mutex.unlock();
                    }
                }
                for (ChildProcess adder : adders) {
                    assertThat(adder.awaitExit(Duration.ofSeconds(60))).as(adder.stderr()).isZero();
                }
            } finally {
                adders.forEach(ChildProcess::close);
            }
            assertThat(mutex.lock()).isEqualTo(LockResult.ACQUIRED);
            try {
                assertThat(segment.memory().getLong(DATA)).isEqualTo(3L * each);
            } finally {
                mutex.unlock();
            }
        }
    }

    @Test
    void shouldTimeOutRefuseAForeignUnlockAndRefuseBadPlacement() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 128);
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try {
                    mutex.lock();
                    locked.countDown();
                    release.await();
                    mutex.unlock();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable).start());
            locked.await();

            assertThat(mutex.tryLock(Duration.ofMillis(30))).isEqualTo(LockResult.TIMED_OUT);
            assertThat(mutex.tryLock(Duration.ZERO)).isEqualTo(LockResult.TIMED_OUT);
            assertThat(LockResult.TIMED_OUT.held()).isFalse();
            assertThatThrownBy(mutex::unlock).isInstanceOf(IOException.class).hasMessageContaining("EPERM")
                    .hasMessageContaining("does not hold the lock");
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            assertThat(mutex.tryLock(Duration.ofSeconds(5))).isEqualTo(LockResult.ACQUIRED);
            assertThatThrownBy(mutex::markConsistent).isInstanceOf(IOException.class).hasMessageContaining("EINVAL");
            mutex.unlock();

            assertThatThrownBy(() -> RobustMutex.initialize(segment.memory(), 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8-byte aligned");
            assertThatThrownBy(() -> RobustMutex.attach(segment.memory(), 4090)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldReleaseTheLockWhenRepairThrowsLeavingItUnrecoverableForEveryone() throws Exception {
        try (SharedMemory segment = SharedMemory.create(name, 4096)) {
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            dieHoldingTheMutex();
            assertThatThrownBy(() -> mutex.withLock(() -> "never", () -> {
                throw new IllegalStateException("cannot repair");
            })).isInstanceOf(IllegalStateException.class).hasMessage("cannot repair");

            // not left held by this thread: another thread is told at once that the data cannot be trusted
            CompletableFuture<LockResult> other = CompletableFuture.supplyAsync(() -> {
                try {
                    return mutex.tryLock(Duration.ofSeconds(10));
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, runnable -> new Thread(runnable).start());
            assertThatThrownBy(() -> other.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(MutexNotRecoverableException.class);
        }
    }

    @Test
    void shouldRefuseEveryCallAfterItsMappingIsClosedInsteadOfCrashing() throws IOException {
        SharedMemory segment = SharedMemory.create(name, 4096);
        RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
        segment.close(); // before the lifetime rules: SIGSEGV in pthread_mutex_lock
        assertThatThrownBy(mutex::lock).isInstanceOf(IllegalStateException.class).hasMessageContaining("the mapping is closed");
        assertThatThrownBy(() -> mutex.tryLock(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> mutex.tryLock(Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(mutex::unlock).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(mutex::markConsistent).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RobustMutex.initialize(segment.memory(), 64)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldLetTheHolderUnlockAfterTheMappingIsClosed() throws IOException {
        SharedMemory segment = SharedMemory.create(name, 4096);
        RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
        try (SharedMemory other = SharedMemory.open(name, false)) {
            RobustMutex seenElsewhere = RobustMutex.attach(other.memory(), 0);
            assertThat(mutex.lock()).isEqualTo(LockResult.ACQUIRED);
            segment.close(); // the held lock keeps its memory mapped
            assertThat(seenElsewhere.tryLock(Duration.ZERO)).as("still held").isEqualTo(LockResult.TIMED_OUT);
            mutex.unlock();
            assertThat(seenElsewhere.tryLock(Duration.ZERO)).as("released by the unlock").isEqualTo(LockResult.ACQUIRED);
            seenElsewhere.unlock();
            assertThatThrownBy(mutex::lock).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldNeverCrashWhenTheMappingIsClosedWhileOtherThreadsLockAndUnlock() throws Exception {
        for (int round = 0; round < 100; round++) {
            SharedMemory segment = SharedMemory.openOrCreate(name, 4096);
            RobustMutex mutex = RobustMutex.initialize(segment.memory(), 0);
            CountDownLatch started = new CountDownLatch(2);
            List<CompletableFuture<Void>> users = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                users.add(CompletableFuture.runAsync(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            mutex.lock();
                            mutex.unlock();
                        }
                    } catch (IllegalStateException closed) {
                        // the only way out; a thread holding the lock at the close still unlocks it
                    } catch (IOException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, runnable -> new Thread(runnable).start()));
            }
            started.await();
            segment.close();
            for (CompletableFuture<Void> user : users) {
                user.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Another JVM locks the mutex and is killed with SIGKILL while it holds it. */
    private void dieHoldingTheMutex() throws IOException {
        try (ChildProcess holder = peer("lock-and-hang", name)) {
            holder.awaitLine("locked", DEADLINE);
            holder.kill(9);
            holder.awaitExit(DEADLINE);
        }
    }

    private static ChildProcess peer(String... args) throws IOException {
        return ChildJvm.builder(ShmPeers.class).args(args).quickStart().start();
    }
}
