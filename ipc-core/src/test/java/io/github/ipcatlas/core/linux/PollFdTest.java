package io.github.ipcatlas.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** The pollfd array against real pipes: each entry's revents must be the kernel's answer for that descriptor. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PollFdTest {
    // -1 until pipe2 fills them: a failed pipe2 must not make the clean-up close descriptor 0, the fork's stdin
    private final int[] quiet = {-1, -1};
    private final int[] loud = {-1, -1};

    @BeforeEach
    void openPipes() {
        assertThat(Native.libc().pipe2(quiet, LinuxConstants.O_CLOEXEC)).isZero();
        assertThat(Native.libc().pipe2(loud, LinuxConstants.O_CLOEXEC)).isZero();
    }

    @AfterEach
    void closePipes() {
        for (int fd : new int[] {quiet[0], quiet[1], loud[0], loud[1]}) {
            if (fd >= 0) {
                Native.libc().close(fd);
            }
        }
    }

    @Test
    void shouldReportReadinessPerEntry() {
        Pointer oneByte = Memory.allocateDirect(Native.runtime(), 1, true);
        assertThat(Native.libc().write(loud[1], oneByte.address(), 1)).isEqualTo(1);
        PollFd fds = new PollFd(Native.runtime(), 3);
        fds.set(0, quiet[0], LinuxConstants.POLLIN);
        fds.set(1, loud[0], LinuxConstants.POLLIN);
        fds.set(2, quiet[1], LinuxConstants.POLLOUT);

        assertThat(Native.libc().poll(fds.pointer(), fds.count(), 0)).isEqualTo(2);

        assertThat(fds.revents(0)).isZero();
        assertThat(fds.revents(1) & LinuxConstants.POLLIN).isNotZero();
        assertThat(fds.revents(2) & LinuxConstants.POLLOUT).isNotZero();
    }

    @Test
    void shouldKeepTheSingleEntryFormAsEntryZero() {
        PollFd one = new PollFd(Native.runtime());
        one.set(quiet[1], LinuxConstants.POLLOUT);

        assertThat(Native.libc().poll(one.pointer(), one.count(), 0)).isEqualTo(1);

        assertThat(one.revents()).isEqualTo(one.revents(0));
        assertThat(one.revents() & LinuxConstants.POLLOUT).isNotZero();
    }

    @Test
    void shouldRejectAnIndexOutsideTheArray() {
        PollFd fds = new PollFd(Native.runtime(), 2);

        assertThatThrownBy(() -> fds.set(2, quiet[0], LinuxConstants.POLLIN))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> fds.revents(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PollFd(Native.runtime(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
