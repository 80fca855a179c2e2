package io.github.ipcatlas.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BoundedSemaphoreTest {

    @Test
    void shouldRefuseAReleaseWithoutAnAcquireUnlikeTheJdkSemaphore() throws InterruptedException {
        BoundedSemaphore bounded = new BoundedSemaphore(2);
        assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 2 permits are already available");

        Semaphore plain = new Semaphore(2);
        plain.release(); // accepted: the limit silently becomes 3
        assertThat(plain.availablePermits()).isEqualTo(3);

        bounded.acquire();
        bounded.release();
        assertThat(bounded.availablePermits()).isEqualTo(2);
    }

    @Test
    void shouldMakeTheNextAcquirerWaitForARelease() throws Exception {
        BoundedSemaphore semaphore = new BoundedSemaphore(1);
        semaphore.acquire();
        assertThat(semaphore.tryAcquire(Duration.ofMillis(20))).isFalse();

        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return semaphore.tryAcquire(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        semaphore.release();

        assertThat(waiter.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(semaphore.availablePermits()).isZero();
    }

    @Test
    void shouldRefuseNoPermits() {
        assertThatThrownBy(() -> new BoundedSemaphore(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits 0");
    }
}
