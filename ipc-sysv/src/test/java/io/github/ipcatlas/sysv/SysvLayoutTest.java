package io.github.ipcatlas.sysv;

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
import io.github.ipcatlas.sysv.internal.SysvLayout;

/**
 * {@link SysvLayout} and {@link SysvKey#ftok} against the C library's own headers and {@code ftok} on this machine:
 * a wrong offset would read or write the wrong field of a kernel structure.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SysvLayoutTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Each field of SysvLayout and the C expression that must equal it. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("PERM_KEY", "offsetof(struct ipc_perm, __key)");
        EXPECTED.put("PERM_UID", "offsetof(struct ipc_perm, uid)");
        EXPECTED.put("PERM_GID", "offsetof(struct ipc_perm, gid)");
        EXPECTED.put("PERM_CUID", "offsetof(struct ipc_perm, cuid)");
        EXPECTED.put("PERM_CGID", "offsetof(struct ipc_perm, cgid)");
        EXPECTED.put("PERM_MODE", "offsetof(struct ipc_perm, mode)");
        EXPECTED.put("MSQID_DS_BYTES", "sizeof(struct msqid_ds)");
        EXPECTED.put("MSG_STIME", "offsetof(struct msqid_ds, msg_stime)");
        EXPECTED.put("MSG_RTIME", "offsetof(struct msqid_ds, msg_rtime)");
        EXPECTED.put("MSG_CTIME", "offsetof(struct msqid_ds, msg_ctime)");
        EXPECTED.put("MSG_CBYTES", "offsetof(struct msqid_ds, __msg_cbytes)");
        EXPECTED.put("MSG_QNUM", "offsetof(struct msqid_ds, msg_qnum)");
        EXPECTED.put("MSG_QBYTES", "offsetof(struct msqid_ds, msg_qbytes)");
        EXPECTED.put("MSG_LSPID", "offsetof(struct msqid_ds, msg_lspid)");
        EXPECTED.put("MSG_LRPID", "offsetof(struct msqid_ds, msg_lrpid)");
        EXPECTED.put("SHMID_DS_BYTES", "sizeof(struct shmid_ds)");
        EXPECTED.put("SHM_SEGSZ", "offsetof(struct shmid_ds, shm_segsz)");
        EXPECTED.put("SHM_ATIME", "offsetof(struct shmid_ds, shm_atime)");
        EXPECTED.put("SHM_DTIME", "offsetof(struct shmid_ds, shm_dtime)");
        EXPECTED.put("SHM_CTIME", "offsetof(struct shmid_ds, shm_ctime)");
        EXPECTED.put("SHM_CPID", "offsetof(struct shmid_ds, shm_cpid)");
        EXPECTED.put("SHM_LPID", "offsetof(struct shmid_ds, shm_lpid)");
        EXPECTED.put("SHM_NATTCH", "offsetof(struct shmid_ds, shm_nattch)");
        EXPECTED.put("SEMID_DS_BYTES", "sizeof(struct semid_ds)");
        EXPECTED.put("SEM_OTIME", "offsetof(struct semid_ds, sem_otime)");
        EXPECTED.put("SEM_CTIME", "offsetof(struct semid_ds, sem_ctime)");
        EXPECTED.put("SEM_NSEMS", "offsetof(struct semid_ds, sem_nsems)");
        EXPECTED.put("MSGBUF_TEXT", "offsetof(struct text_message, mtext)");
        EXPECTED.put("SEMBUF_BYTES", "sizeof(struct sembuf)");
        EXPECTED.put("SEMBUF_NUM", "offsetof(struct sembuf, sem_num)");
        EXPECTED.put("SEMBUF_OP", "offsetof(struct sembuf, sem_op)");
        EXPECTED.put("SEMBUF_FLG", "offsetof(struct sembuf, sem_flg)");
        for (String constant : List.of("IPC_PRIVATE", "IPC_CREAT", "IPC_EXCL", "IPC_NOWAIT", "IPC_RMID", "IPC_SET",
                "IPC_STAT", "MSG_NOERROR", "MSG_EXCEPT", "SHM_RDONLY", "SHM_DEST", "SHM_LOCKED", "SEM_UNDO", "GETPID",
                "GETVAL", "GETALL", "GETNCNT", "GETZCNT", "SETVAL", "SETALL")) {
            EXPECTED.put(constant, "(long) " + constant);
        }
    }

    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithTheSystemHeadersAndFtokOfThisMachine() throws Exception {
        Optional<Path> cc = ProgramPath.find("cc");
        assumeTrue(cc.isPresent(), "no C compiler to read <sys/msg.h> with");
        Path keyFile = Files.writeString(dir.resolve("key-file"), "");
        StringBuilder source = new StringBuilder("#define _GNU_SOURCE\n#include <stdio.h>\n#include <stddef.h>\n"
                + "#include <sys/ipc.h>\n#include <sys/msg.h>\n#include <sys/shm.h>\n#include <sys/sem.h>\n"
                + "struct text_message { long mtype; char mtext[1]; };\n"
                + "int main(int argc, char **argv) {\n");
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, String> entry : EXPECTED.entrySet()) {
            source.append("  printf(\"").append(entry.getKey()).append(" %ld\\n\", (long) (").append(entry.getValue())
                    .append("));\n");
            expected.add(entry.getKey() + " " + SysvLayout.class.getField(entry.getKey()).getInt(null));
        }
        source.append("  printf(\"ftok %d\\n\", (int) ftok(argv[1], 65));\n  return 0;\n}\n");
        expected.add("ftok " + SysvKey.ftok(keyFile, 65).value());

        Path program = dir.resolve("layout");
        Path sourceFile = Files.writeString(dir.resolve("layout.c"), source);
        try (ChildProcess compile = ChildProcess.builder(cc.get().toString(), "-o", program.toString(),
                sourceFile.toString()).start()) {
            ChildProcess.Outcome compiled = compile.finish(DEADLINE);
            assertThat(compiled.exitCode()).as(compiled.stderr()).isZero();
        }
        try (ChildProcess run = ChildProcess.builder(program.toString(), keyFile.toString()).start()) {
            ChildProcess.Outcome printed = run.finish(DEADLINE);
            assertThat(printed.exitCode()).isZero();
            assertThat(printed.stdout()).containsExactlyElementsOf(expected);
        }
    }
}
