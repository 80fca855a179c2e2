package io.github.ipcatlas.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.FdChannel;
import io.github.ipcatlas.core.linux.LinuxConstants;
import io.github.ipcatlas.core.linux.Native;
import io.github.ipcatlas.mmap.MapMode;
import io.github.ipcatlas.mmap.MappedFile;
import io.github.ipcatlas.shm.MemFd.Seal;

/** memfds and their seals, as the kernel enforces them; a python3 process reads and checks what it inherits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemFdTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldReportTheExecSealAndTheWriteSealsItImpliesOnAnExecutableMemfd() throws Exception {
        try (MemFd memory = MemFd.create("exec")) {
            memory.seal(Seal.EXEC);
            // W^X: on a memfd whose mode has execute bits (they all start 0777), EXEC seals writing too
            assertThat(memory.seals()).containsExactlyInAnyOrder(Seal.EXEC, Seal.WRITE, Seal.FUTURE_WRITE, Seal.SHRINK,
                    Seal.GROW);
            // the execute bits are fixed now (a memfd starts 0777): a chmod that drops them is refused
            try (io.github.ipcatlas.core.DescriptorLease lease = memory.lease()) {
                assertThatThrownBy(() -> Files.setPosixFilePermissions(Path.of("/proc/self/fd/" + lease.fd()),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))
                        .isInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void shouldRefuseEveryWriteOnceSealedAgainstWriting() throws Exception {
        try (MemFd memory = MemFd.create("report")) {
            memory.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            assertThat(memory.size()).isEqualTo(5);
            assertThat(memory.seals()).isEmpty();
            memory.seal(Seal.SHRINK, Seal.GROW, Seal.WRITE);
            assertThat(memory.seals()).containsExactlyInAnyOrder(Seal.SHRINK, Seal.GROW, Seal.WRITE);
            assertThatThrownBy(() -> memory.write(ByteBuffer.wrap(new byte[] {1}))).hasMessageContaining("EPERM");
            assertThatThrownBy(() -> memory.map(MapMode.READ_WRITE)).hasMessageContaining("memfd report is sealed against writing");
            try (MappedFile view = memory.map(MapMode.READ_ONLY)) {
                assertThat(view.getByte(0)).isEqualTo((byte) 'h');
            }
            assertThat(memory.contents(5)).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
            assertThatThrownBy(() -> memory.contents(4)).hasMessageContaining("holds more than the 4 bytes allowed");
            memory.seal(Seal.SEAL);
            assertThatThrownBy(() -> memory.seal(Seal.FUTURE_WRITE)).hasMessageContaining("EPERM")
                    .hasMessageContaining("sealed against further seals");
        }
    }

    @Test
    void shouldRefuseAWriteSealWhileMappedWritableButTakeAFutureWriteSeal() throws Exception {
        try (MemFd memory = MemFd.create("producer")) {
            memory.write(ByteBuffer.allocate(4096));
            try (MappedFile mine = memory.map(MapMode.READ_WRITE)) {
                assertThatThrownBy(() -> memory.seal(Seal.WRITE)).hasMessageContaining("EBUSY")
                        .hasMessageContaining("seal FUTURE_WRITE");
                memory.seal(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE);
                mine.putLong(0, 42); // the mapping that existed keeps writing
                assertThatThrownBy(() -> memory.map(MapMode.READ_WRITE)).hasMessageContaining("FUTURE_WRITE");
                try (MappedFile reader = memory.map(MapMode.READ_ONLY)) {
                    assertThat(reader.getLong(0)).isEqualTo(42);
                }
            }
        }
    }

    @Test
    void shouldAdoptOnlyAMemfdAndCloseAnythingElse() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        int fd = Native.libc().open(file.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        FdChannel plain = new FdChannel(fd, "a plain file");
        assertThatThrownBy(() -> MemFd.adopt(plain)).hasMessageContaining("is " + file.toRealPath() + ", not a memfd");
        assertThat(plain.isOpen()).isFalse();
        int[] pipe = new int[2];
        assertThat(Native.libc().pipe2(pipe, LinuxConstants.O_CLOEXEC)).isZero();
        Native.libc().close(pipe[1]);
        FdChannel readEnd = new FdChannel(pipe[0], "a pipe");
        assertThatThrownBy(() -> MemFd.adopt(readEnd)).hasMessageContaining("pipe:[").hasMessageContaining("not a memfd");
        assertThat(readEnd.isOpen()).isFalse();
        try (MemFd memory = MemFd.create("adopted")) {
            int copy = Native.libc().fcntl(memory.channel().fd(), 1030 /* F_DUPFD_CLOEXEC */, 3);
            try (MemFd adopted = MemFd.adopt(new FdChannel(copy, "a received descriptor"))) {
                adopted.write(ByteBuffer.wrap(new byte[] {7, 8}));
                assertThat(memory.size()).as("one file, two descriptors").isEqualTo(2);
            }
        }
    }

    @Test
    void shouldRefuseBadLabelsBeforeAnyCall() {
        assertThatThrownBy(() -> MemFd.create("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label \"\"");
        assertThatThrownBy(() -> MemFd.create("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemFd.create("x".repeat(250))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemFd.create(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldHandPythonAMemfdItCanReadButNotChange() throws Exception {
        String script = "import fcntl, os\n"
                + "print(os.pread(3, 100, 0).decode(), flush=True)\n"
                + "seals = fcntl.fcntl(3, fcntl.F_GET_SEALS)\n"
                + "print('seals', seals, flush=True)\n"
                + "try:\n"
                + "    os.pwrite(3, b'x', 0)\n"
                + "    print('written', flush=True)\n"
                + "except PermissionError:\n"
                + "    print('refused', flush=True)\n";
        try (MemFd memory = MemFd.create("to-python")) {
            memory.write(ByteBuffer.wrap("from java".getBytes(StandardCharsets.US_ASCII)));
            memory.seal(Seal.SHRINK, Seal.GROW, Seal.WRITE);
            try (ChildProcess python = ChildProcess.builder("python3", "-c", script).inheritFd(memory.channel(), 3)
                    .start()) {
                ChildProcess.Outcome outcome = python.finish(DEADLINE);
                assertThat(outcome.stdout()).as(outcome.stderr()).containsExactly("from java", "seals 14", "refused");
            }
        }
    }
}
