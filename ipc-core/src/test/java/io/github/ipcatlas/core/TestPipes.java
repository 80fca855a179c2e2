package io.github.ipcatlas.core;

import java.io.IOException;

import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;

/** A raw pipe for tests of the core (the pipes module has the real API). */
final class TestPipes {
    private TestPipes() {
    }

    /** {read end, write end}, both close-on-exec. */
    static FdChannel[] open() throws IOException {
        int[] fds = new int[2];
        if (Native.libc().pipe2(fds, LinuxConstants.O_CLOEXEC) != 0) {
            throw Errors.of("pipe2", "test pipe", Native.errno());
        }
        return new FdChannel[] {new FdChannel(fds[0], "test pipe read end"), new FdChannel(fds[1], "test pipe write end")};
    }
}
