package io.github.ipcatlas.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.ipcatlas.core.ChildProcess;
import io.github.ipcatlas.core.ProgramPath;
import io.github.ipcatlas.sockets.internal.MsgLayout;
import io.github.ipcatlas.sockets.internal.SocketLibC;

/** {@link MsgLayout} and the socket constants against this machine's C headers. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MsgLayoutTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithTheSystemHeaders() throws Exception {
        Optional<Path> cc = ProgramPath.find("cc");
        assumeTrue(cc.isPresent(), "no C compiler to read <sys/socket.h> with");
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("MSGHDR_BYTES " + MsgLayout.MSGHDR_BYTES, "sizeof(struct msghdr)");
        checks.put("MSG_NAME " + MsgLayout.MSG_NAME, "offsetof(struct msghdr, msg_name)");
        checks.put("MSG_NAMELEN " + MsgLayout.MSG_NAMELEN, "offsetof(struct msghdr, msg_namelen)");
        checks.put("MSG_IOV " + MsgLayout.MSG_IOV, "offsetof(struct msghdr, msg_iov)");
        checks.put("MSG_IOVLEN " + MsgLayout.MSG_IOVLEN, "offsetof(struct msghdr, msg_iovlen)");
        checks.put("MSG_CONTROL " + MsgLayout.MSG_CONTROL, "offsetof(struct msghdr, msg_control)");
        checks.put("MSG_CONTROLLEN " + MsgLayout.MSG_CONTROLLEN, "offsetof(struct msghdr, msg_controllen)");
        checks.put("MSG_FLAGS " + MsgLayout.MSG_FLAGS, "offsetof(struct msghdr, msg_flags)");
        checks.put("CMSG_LEN " + MsgLayout.CMSG_LEN, "offsetof(struct cmsghdr, cmsg_len)");
        checks.put("CMSG_LEVEL " + MsgLayout.CMSG_LEVEL, "offsetof(struct cmsghdr, cmsg_level)");
        checks.put("CMSG_TYPE " + MsgLayout.CMSG_TYPE, "offsetof(struct cmsghdr, cmsg_type)");
        checks.put("CMSG_DATA " + MsgLayout.CMSG_DATA, "CMSG_LEN(0)");
        checks.put("CREDENTIALS_SPACE " + MsgLayout.CREDENTIALS_SPACE, "CMSG_SPACE(sizeof(struct ucred))");
        checks.put("UCRED_BYTES " + MsgLayout.UCRED_BYTES, "sizeof(struct ucred)");
        checks.put("UCRED_PID " + MsgLayout.UCRED_PID, "offsetof(struct ucred, pid)");
        checks.put("UCRED_UID " + MsgLayout.UCRED_UID, "offsetof(struct ucred, uid)");
        checks.put("UCRED_GID " + MsgLayout.UCRED_GID, "offsetof(struct ucred, gid)");
        checks.put("SO_PASSCRED " + SocketLibC.SO_PASSCRED, "SO_PASSCRED");
        checks.put("SCM_CREDENTIALS " + SocketLibC.SCM_CREDENTIALS, "SCM_CREDENTIALS");
        checks.put("SCM_RIGHTS " + SocketLibC.SCM_RIGHTS, "SCM_RIGHTS");
        checks.put("MSG_CTRUNC " + SocketLibC.MSG_CTRUNC, "MSG_CTRUNC");
        checks.put("MSG_TRUNC " + SocketLibC.MSG_TRUNC, "MSG_TRUNC");
        checks.put("MSG_DONTWAIT " + SocketLibC.MSG_DONTWAIT, "MSG_DONTWAIT");
        checks.put("MSG_CMSG_CLOEXEC " + SocketLibC.MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC");
        checks.put("SHUT_WR " + SocketLibC.SHUT_WR, "SHUT_WR");
        checks.put("SOCKADDR_UN_BYTES " + SocketLibC.SOCKADDR_UN_BYTES, "sizeof(struct sockaddr_un)");
        StringBuilder source = new StringBuilder("#define _GNU_SOURCE\n#include <stdio.h>\n#include <stddef.h>\n"
                + "#include <sys/socket.h>\n#include <sys/un.h>\nint main(void) {\n");
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, String> check : checks.entrySet()) {
            String name = check.getKey().substring(0, check.getKey().indexOf(' '));
            source.append("  printf(\"").append(name).append(" %ld\\n\", (long) (").append(check.getValue()).append("));\n");
            expected.add(check.getKey());
        }
        source.append("  return 0;\n}\n");
        Path program = dir.resolve("layout");
        Path file = Files.writeString(dir.resolve("layout.c"), source);
        try (ChildProcess compile = ChildProcess.builder(cc.get().toString(), "-o", program.toString(), file.toString())
                .start()) {
            ChildProcess.Outcome compiled = compile.finish(DEADLINE);
            assertThat(compiled.exitCode()).as(compiled.stderr()).isZero();
        }
        try (ChildProcess run = ChildProcess.builder(program.toString()).start()) {
            assertThat(run.finish(DEADLINE).stdout()).containsExactlyElementsOf(expected);
        }
    }
}
