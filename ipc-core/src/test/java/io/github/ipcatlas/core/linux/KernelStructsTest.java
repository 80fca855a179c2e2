package io.github.ipcatlas.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ProgramPath;

/** {@link KernelStructs} and {@link PollFd#BYTES} against this machine's C headers. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelStructsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithTheSystemHeaders() throws Exception {
        Optional<Path> cc = ProgramPath.find("cc");
        assumeTrue(cc.isPresent(), "no C compiler to read <time.h> and <sys/uio.h> with");
        Path source = Files.writeString(dir.resolve("structs.c"), "#include <stdio.h>\n#include <stddef.h>\n"
                + "#include <time.h>\n#include <poll.h>\n#include <sys/uio.h>\nint main(void) {\n"
                + "  printf(\"%zu %zu %zu %zu %zu %zu %zu\\n\", sizeof(struct timespec),"
                + " offsetof(struct timespec, tv_sec), offsetof(struct timespec, tv_nsec), sizeof(struct iovec),"
                + " offsetof(struct iovec, iov_base), offsetof(struct iovec, iov_len), sizeof(struct pollfd));\n"
                + "  return 0;\n}\n");
        Path program = dir.resolve("structs");
        try (ChildProcess compile = ChildProcess.builder(cc.get().toString(), "-o", program.toString(), source.toString())
                .start()) {
            ChildProcess.Outcome compiled = compile.finish(DEADLINE);
            assertThat(compiled.exitCode()).as(compiled.stderr()).isZero();
        }
        try (ChildProcess run = ChildProcess.builder(program.toString()).start()) {
            assertThat(run.finish(DEADLINE).stdout()).containsExactly(KernelStructs.TIMESPEC_BYTES + " "
                    + KernelStructs.TIMESPEC_SEC + " " + KernelStructs.TIMESPEC_NSEC + " " + KernelStructs.IOVEC_BYTES
                    + " " + KernelStructs.IOVEC_BASE + " " + KernelStructs.IOVEC_LEN + " " + PollFd.BYTES);
        }
    }
}
