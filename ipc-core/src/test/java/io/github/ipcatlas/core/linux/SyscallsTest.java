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

/** The system-call table against the C library's own headers on this machine: a wrong number is a wrong call. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyscallsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithSysSyscallHOfThisArchitecture() throws Exception {
        Optional<Path> cc = ProgramPath.find("cc");
        assumeTrue(cc.isPresent(), "no C compiler to read <sys/syscall.h> with");
        Path source = Files.writeString(dir.resolve("numbers.c"), "#include <stdio.h>\n#include <sys/syscall.h>\n"
                + "int main(void) {\n"
                + "#if defined(SYS_pidfd_send_signal) && defined(SYS_pidfd_open)\n"
                + "  printf(\"%ld %ld %ld %ld %ld %ld %ld %ld\\n\", (long) SYS_futex, (long) SYS_rt_tgsigqueueinfo,"
                + " (long) SYS_pidfd_send_signal, (long) SYS_pidfd_open, (long) SYS_read, (long) SYS_write,"
                + " (long) SYS_mq_timedsend, (long) SYS_mq_timedreceive);\n"
                + "#else\n  puts(\"headers older than Linux 5.3\");\n#endif\n  return 0;\n}\n");
        Path program = dir.resolve("numbers");
        try (ChildProcess compile = ChildProcess.builder(cc.get().toString(), "-o", program.toString(), source.toString())
                .start()) {
            ChildProcess.Outcome compiled = compile.finish(DEADLINE);
            assertThat(compiled.exitCode()).as(compiled.stderr()).isZero();
        }
        try (ChildProcess run = ChildProcess.builder(program.toString()).start()) {
            ChildProcess.Outcome printed = run.finish(DEADLINE);
            assumeTrue(!printed.stdout().contains("headers older than Linux 5.3"), "<sys/syscall.h> predates pidfds");
            assertThat(printed.stdout()).containsExactly(Syscalls.futex() + " " + Syscalls.rtTgsigqueueinfo() + " "
                    + Syscalls.pidfdSendSignal() + " " + Syscalls.pidfdOpen() + " " + Syscalls.read() + " "
                    + Syscalls.write() + " " + Syscalls.mqTimedsend() + " " + Syscalls.mqTimedreceive());
        }
    }
}
