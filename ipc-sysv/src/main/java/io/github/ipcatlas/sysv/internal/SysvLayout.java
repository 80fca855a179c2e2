package io.github.ipcatlas.sysv.internal;

/**
 * Offsets and sizes of the C structures and values of the constants the System V calls use, on 64-bit Linux with
 * glibc (x86-64 and aarch64 agree on every one used here). {@code SysvLayoutTest} compiles a C program against the
 * system headers and checks each value.
 *
 * <pre>
 * struct ipc_perm (48 bytes), at offset 0 of each *_ds below
 *   0 key_t __key   4 uid_t uid   8 gid_t gid   12 uid_t cuid   16 gid_t cgid   20 mode (low 9 bits: rwx for
 *   owner, group, others; shared memory adds SHM_DEST 01000 and SHM_LOCKED 02000)
 *
 * struct msqid_ds (120)          struct shmid_ds (112)          struct semid_ds (104)
 *   48 msg_stime                   48 shm_segsz                   48 sem_otime
 *   56 msg_rtime                   56 shm_atime                   64 sem_ctime
 *   64 msg_ctime                   64 shm_dtime                   80 sem_nsems
 *   72 __msg_cbytes                72 shm_ctime
 *   80 msg_qnum                    80 shm_cpid (int)
 *   88 msg_qbytes                  84 shm_lpid (int)
 *   96 msg_lspid (int)             88 shm_nattch
 *  100 msg_lrpid (int)
 *
 * struct msgbuf: 0 long mtype, 8 the text
 * struct sembuf (6 bytes): 0 unsigned short sem_num, 2 short sem_op, 4 short sem_flg
 * </pre>
 */
public final class SysvLayout {
    private SysvLayout() {
    }

    public static final int PERM_KEY = 0;
    public static final int PERM_UID = 4;
    public static final int PERM_GID = 8;
    public static final int PERM_CUID = 12;
    public static final int PERM_CGID = 16;
    /** Read and written as the low 16 bits, which is all of it on x86-64 and the low half of an int on aarch64. */
    public static final int PERM_MODE = 20;

    public static final int MSQID_DS_BYTES = 120;
    public static final int MSG_STIME = 48;
    public static final int MSG_RTIME = 56;
    public static final int MSG_CTIME = 64;
    public static final int MSG_CBYTES = 72;
    public static final int MSG_QNUM = 80;
    public static final int MSG_QBYTES = 88;
    public static final int MSG_LSPID = 96;
    public static final int MSG_LRPID = 100;

    public static final int SHMID_DS_BYTES = 112;
    public static final int SHM_SEGSZ = 48;
    public static final int SHM_ATIME = 56;
    public static final int SHM_DTIME = 64;
    public static final int SHM_CTIME = 72;
    public static final int SHM_CPID = 80;
    public static final int SHM_LPID = 84;
    public static final int SHM_NATTCH = 88;

    public static final int SEMID_DS_BYTES = 104;
    public static final int SEM_OTIME = 48;
    public static final int SEM_CTIME = 64;
    public static final int SEM_NSEMS = 80;

    public static final int MSGBUF_TEXT = 8;
    public static final int SEMBUF_BYTES = 6;
    public static final int SEMBUF_NUM = 0;
    public static final int SEMBUF_OP = 2;
    public static final int SEMBUF_FLG = 4;

    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;
    public static final int IPC_RMID = 0;
    public static final int IPC_SET = 1;
    public static final int IPC_STAT = 2;

    public static final int MSG_NOERROR = 010000;
    public static final int MSG_EXCEPT = 020000;

    public static final int SHM_RDONLY = 010000;
    public static final int SHM_DEST = 01000;
    public static final int SHM_LOCKED = 02000;

    public static final int SEM_UNDO = 0x1000;
    public static final int GETPID = 11;
    public static final int GETVAL = 12;
    public static final int GETALL = 13;
    public static final int GETNCNT = 14;
    public static final int GETZCNT = 15;
    public static final int SETVAL = 16;
    public static final int SETALL = 17;
}
