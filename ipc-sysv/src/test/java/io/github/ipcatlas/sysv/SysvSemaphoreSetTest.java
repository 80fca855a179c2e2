package io.github.ipcatlas.sysv;

import static io.github.ipcatlas.sysv.SemaphoreOperation.acquire;
import static io.github.ipcatlas.sysv.SemaphoreOperation.add;
import static io.github.ipcatlas.sysv.SemaphoreOperation.release;
import static io.github.ipcatlas.sysv.SemaphoreOperation.waitForZero;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.ipcatlas.core.ErrnoException;
import io.github.ipcatlas.core.IpcTimeoutException;
import io.github.ipcatlas.sysv.internal.SysvLayout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysvSemaphoreSetTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final SysvFixture fixture = new SysvFixture();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws IOException {
        executor.shutdownNow();
        fixture.removeAll();
    }

    @Test
    void shouldCreateWithItsValuesAndMarkItInitialised() throws IOException {
        SysvKey key = fixture.key();
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(key, 3, 0, 32767))) {
            assertThat(set.size()).isEqualTo(3);
            assertThat(set.values()).containsExactly(3, 0, 32767);
            SemaphoreSetStatus status = set.status();
            assertThat(status.count()).isEqualTo(3);
            assertThat(status.permissions().mode()).isEqualTo(0600);
            assertThat(status.lastOperation()).as("sem_otime stamped by create").isNotNull();
            try (SysvSemaphoreSet opened = SysvSemaphoreSet.openInitialised(key, DEADLINE)) {
                assertThat(opened.id()).isEqualTo(set.id());
                assertThat(opened.value(0)).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldMakeAnOpenerWaitForASetNobodyInitialisedAndSayWhy() throws IOException {
        SysvKey key = fixture.key();
        // made as a careless C program makes it: semget alone, values still 0, no semop yet
        int id = SysvBinding.SYSV.semget(key.value(), 1, SysvLayout.IPC_CREAT | SysvLayout.IPC_EXCL | 0600);
        assertThat(id).isNotNegative();
        try (SysvSemaphoreSet raw = fixture.track(SysvSemaphoreSet.ofId(id))) {
            assertThat(raw.status().lastOperation()).isNull();
            assertThatThrownBy(() -> SysvSemaphoreSet.openInitialised(key, Duration.ofMillis(50)))
                    .isInstanceOf(IpcTimeoutException.class).hasMessageContaining("sem_otime is still 0");
            raw.setValue(0, 1);
            raw.operate(acquire(0));
            try (SysvSemaphoreSet opened = SysvSemaphoreSet.openInitialised(key, DEADLINE)) {
                assertThat(opened.value(0)).isZero();
            }
        }
    }

    @Test
    void shouldRunSeveralOperationsAtomicallyOrNone() throws IOException {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 1, 0))) {
            assertThat(set.tryOperate(acquire(0), acquire(1))).as("semaphore 1 is 0").isFalse();
            assertThat(set.values()).as("so semaphore 0 was not taken either").containsExactly(1, 0);
            assertThat(set.tryOperate(acquire(0), release(1))).isTrue();
            assertThat(set.values()).containsExactly(0, 1);
            assertThat(set.tryOperate(waitForZero(0), add(1, 5))).isTrue();
            assertThat(set.values()).containsExactly(0, 6);
            assertThat(set.lastPid(1)).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldTimeOutAWaitThatCannotProceedAndChangeNothing() throws IOException {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 0))) {
            assertThat(set.operate(Duration.ofMillis(30), acquire(0))).isFalse();
            assertThat(set.operate(Duration.ZERO, acquire(0))).isFalse();
            assertThat(set.value(0)).isZero();
            assertThat(set.waitingForIncrease(0)).isZero();
        }
    }

    @Test
    void shouldWakeAWaiterCountedByGetncntWhenAnotherThreadReleases() throws Exception {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 0))) {
            Future<Boolean> waiter = executor.submit(() -> set.operate(DEADLINE, acquire(0)));
            Awaitility.await().atMost(DEADLINE).until(() -> set.waitingForIncrease(0) == 1);
            set.operate(release(0));
            assertThat(waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(set.value(0)).isZero();
        }
    }

    @Test
    void shouldWakeEveryWaiterWithEidrmWhenTheSetIsRemoved() throws Exception {
        SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 0, 1));
        Future<Boolean> forIncrease = executor.submit(() -> set.operate(DEADLINE, acquire(0)));
        Future<?> forZero = executor.submit(() -> {
            set.operate(waitForZero(1));
            return null;
        });
        Awaitility.await().atMost(DEADLINE).until(() -> set.waitingForIncrease(0) == 1 && set.waitingForZero(1) == 1);
        set.remove();
        for (Future<?> waiter : new Future<?>[] {forIncrease, forZero}) {
            Awaitility.await().atMost(DEADLINE).until(waiter::isDone);
            assertThatThrownBy(waiter::get).hasCauseInstanceOf(ErrnoException.class).hasMessageContaining("EIDRM");
        }
    }

    @Test
    void shouldReportAValuePastTheMaximumAsErange() throws IOException {
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 32000))) {
            assertThatThrownBy(() -> set.tryOperate(add(0, 1000))).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("ERANGE").hasMessageContaining("32767");
            assertThat(set.value(0)).isEqualTo(32000);
        }
    }

    @Test
    void shouldRefuseBadInputBeforeAnyNativeCall() throws IOException {
        assertThatThrownBy(() -> SysvSemaphoreSet.create(SysvKey.PRIVATE)).hasMessageContaining("1 to 65535 semaphores, not 0");
        assertThatThrownBy(() -> SysvSemaphoreSet.create(SysvKey.PRIVATE, 1, 40000)).hasMessageContaining("40000");
        assertThatThrownBy(() -> SysvSemaphoreSet.create(SysvKey.PRIVATE, -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> add(-1, 1)).hasMessageContaining("index -1");
        assertThatThrownBy(() -> add(0, 40000)).hasMessageContaining("delta 40000");
        assertThatThrownBy(() -> add(0, -32768)).as("no value reaches 32768").hasMessageContaining("-32767..32767");
        try (SysvSemaphoreSet set = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 1, 1))) {
            assertThatThrownBy(() -> set.tryOperate(acquire(2))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside");
            assertThatThrownBy(set::tryOperate).hasMessageContaining("no semaphore operation");
            assertThatThrownBy(() -> set.tryOperate((SemaphoreOperation) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> set.value(5)).hasMessageContaining("index 5");
            assertThatThrownBy(() -> set.setValue(0, 32768)).hasMessageContaining("32768");
            assertThatThrownBy(() -> set.setValues(1)).hasMessageContaining("1 values given for a set of 2");
            assertThatThrownBy(() -> set.operate(Duration.ofMillis(-1), acquire(0))).hasMessageContaining("negative");
            assertThat(set.values()).containsExactly(1, 1);
        }
    }

    @Test
    void shouldTakeTheModeFromCreateWithModeAndOnlyValuesFromCreate() throws IOException {
        try (SysvSemaphoreSet withMode = fixture.track(SysvSemaphoreSet.createWithMode(SysvKey.PRIVATE, 0640, 1));
             SysvSemaphoreSet values = fixture.track(SysvSemaphoreSet.create(SysvKey.PRIVATE, 0640, 1))) {
            assertThat(withMode.permissions().mode()).isEqualTo(0640);
            assertThat(withMode.values()).containsExactly(1);
            assertThat(values.permissions().mode()).isEqualTo(0600);
            assertThat(values.values()).as("create takes values only").containsExactly(0640, 1);
        }
    }

    @Test
    void shouldRefuseASecondSetWithTheSameKeyAndKeepTheFirst() throws IOException {
        SysvKey key = fixture.key();
        try (SysvSemaphoreSet first = fixture.track(SysvSemaphoreSet.create(key, 1))) {
            assertThatThrownBy(() -> SysvSemaphoreSet.create(key, 1)).hasMessageContaining("EEXIST");
            assertThat(first.value(0)).isEqualTo(1);
        }
    }
}
