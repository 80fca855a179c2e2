package io.github.ipcatlas.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The state behind every close that is safe against running calls: who frees the resource, and when. */
class LeasesTest {
    @Test
    void shouldLetTheLastReleaseAfterCloseFreeTheResource() {
        Leases leases = new Leases();
        assertThat(leases.tryAcquire()).isTrue();
        assertThat(leases.tryAcquire()).isTrue();
        assertThat(leases.close()).as("leases held: not freed by close").isFalse();
        assertThat(leases.isOpen()).isFalse();
        assertThat(leases.tryAcquire()).as("no lease once closed").isFalse();
        assertThat(leases.release()).isFalse();
        assertThat(leases.release()).as("the last lease frees it").isTrue();
        assertThat(leases.close()).as("closing again frees nothing").isFalse();
    }

    @Test
    void shouldRefuseAReleaseWithoutAnAcquireAndStayConsistent() {
        Leases leases = new Leases();
        assertThat(leases.tryAcquire()).isTrue();
        assertThat(leases.release()).isFalse();
        assertThatThrownBy(leases::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never taken");
        // the refused release changed nothing: a new lease still keeps close from freeing
        assertThat(leases.tryAcquire()).isTrue();
        assertThat(leases.close()).isFalse();
        assertThat(leases.release()).isTrue();
        assertThatThrownBy(leases::release).isInstanceOf(IllegalStateException.class);
    }
}
