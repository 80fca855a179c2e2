package io.github.ipcatlas.comparison.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.comparison.IpcAtlas;
import io.github.ipcatlas.core.ChildJvm;
import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.IpcNames;

/**
 * {@code memfd serve|receive} as real processes: a sealed memfd over a Unix socket, by path and by abstract name;
 * python3 on either end, also as a hostile server handing out what is not a sealed memfd.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemfdCommandTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldHandEachClientASealedMemfdByPathAndRemoveTheSocketFile() throws Exception {
        Path socket = dir.resolve("memfd.sock");
        try (ChildProcess serve = atlas("memfd", "serve", "--unix", socket.toString(), "hello, memfd", "--count", "2")) {
            assertThat(serve.nextLine(DEADLINE)).isEqualTo("listening on " + socket);
            for (int client = 0; client < 2; client++) {
                try (ChildProcess receive = atlas("memfd", "receive", "--unix", socket.toString())) {
                    ChildProcess.Outcome got = receive.finish(DEADLINE);
                    assertThat(got.exitCode()).as(got.stderr()).isZero();
                    assertThat(got.stdout()).containsExactly("hello, memfd", "seals: shrink grow write");
                }
            }
            assertThat(serve.awaitExit(DEADLINE)).isZero();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void shouldServePythonOverAnAbstractNameWhichChecksTheSealsItself() throws Exception {
        String name = IpcNames.unique("t-memfd");
        String python = "import fcntl, os, socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                + "s.connect('\\0' + sys.argv[1])\n"
                + "msg, fds, flags, addr = socket.recv_fds(s, 1, 1)\n"
                + "print(os.pread(fds[0], 100, 0).decode(), fcntl.fcntl(fds[0], fcntl.F_GET_SEALS), flush=True)\n"
                + "try:\n"
                + "    os.ftruncate(fds[0], 0)\n"
                + "    print('truncated', flush=True)\n"
                + "except PermissionError:\n"
                + "    print('cannot truncate', flush=True)\n";
        // no --count: whether the client that hangs up counted depends on who was faster, so serve runs until closed
        try (ChildProcess serve = atlas("memfd", "serve", "--unix", "@" + name, "for python")) {
            assertThat(serve.nextLine(DEADLINE)).isEqualTo("listening on @" + name);
            String hangUp = "import socket, sys\n"
                    + "c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                    + "c.connect('\\0' + sys.argv[1])\n"
                    + "c.close()\n";
            try (ChildProcess rude = ChildProcess.builder("python3", "-c", hangUp, name).start()) {
                assertThat(rude.awaitExit(DEADLINE)).as("a client that hangs up at once").isZero();
            }
            try (ChildProcess client = ChildProcess.builder("python3", "-c", python, name).start()) {
                ChildProcess.Outcome got = client.finish(DEADLINE);
                assertThat(got.stdout()).as(got.stderr()).containsExactly("for python 14", "cannot truncate");
            }
            assertThat(serve.isAlive()).as("still serving after a client hung up").isTrue();
        }
    }

    @Test
    void shouldRefuseWhatAHostileServerHandsOutInsteadOfAMemfd() throws Exception {
        String name = IpcNames.unique("t-memfd-hostile");
        String server = "import os, socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                + "s.bind('\\0' + sys.argv[1])\n"
                + "s.listen(2)\n"
                + "print('listening', flush=True)\n"
                + "r, w = os.pipe()\n"
                + "c, _ = s.accept()\n"
                + "socket.send_fds(c, [b'm'], [r])\n"      // a pipe, not a memfd
                + "c.close()\n"
                + "c, _ = s.accept()\n"                     // silence: the receiver gives up at its deadline
                + "print('silent', flush=True)\n"
                + "c.recv(1)\n"
                + "c.close()\n"
                + "big = os.memfd_create('big')\n"
                + "os.ftruncate(big, 17 << 20)\n"
                + "c, _ = s.accept()\n"
                + "socket.send_fds(c, [b'm'], [big])\n"    // a memfd larger than a receiver reads
                + "c.close()\n";
        try (ChildProcess hostile = ChildProcess.builder("python3", "-c", server, name).start()) {
            hostile.awaitLine("listening", DEADLINE);
            assertFails(atlas("memfd", "receive", "--unix", "@" + name), "pipe:[", "not a memfd");
            assertFails(atlas("memfd", "receive", "--unix", "@" + name, "--timeout", "1000"), "timed out",
                    "waiting for @" + name + " to send a memfd");
            hostile.awaitLine("silent", DEADLINE);
            assertFails(atlas("memfd", "receive", "--unix", "@" + name), "holds more than the 16777216 bytes allowed");
            assertThat(hostile.awaitExit(DEADLINE)).isZero();
        }
        assertFails(atlas("memfd", "receive", "--unix", "@" + name), "ECONNREFUSED", "nothing listens there");
        assertFails(atlas("memfd", "serve", "--unix", "@", "x"), "0 bytes", "give 1 to 107");
        assertFails(atlas("memfd", "serve", "--unix", dir.resolve("s").toString(), "x", "--count", "0"), "--count 0",
                "at least 1");
    }

    private static void assertFails(ChildProcess child, String... stderr) throws IOException {
        try (child) {
            ChildProcess.Outcome outcome = child.finish(DEADLINE);
            assertThat(outcome.exitCode()).as(outcome.stderr()).isNotZero();
            assertThat(outcome.stderr()).contains(stderr);
        }
    }

    private static ChildProcess atlas(String... args) throws IOException {
        return ChildJvm.builder(IpcAtlas.class).args(args).quickStart().start();
    }
}
