package io.github.ipcatlas.sysv.internal;

import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.Variadic;

/**
 * The System V IPC functions of libc ({@code sysvipc(7)}). C names, no logic. Structures are passed by address
 * ({@code long}), laid out as {@link SysvLayout} describes; 0 is NULL. Errors are read from errno right after the
 * call.
 */
public interface SysvLibC {
    /** {@code ftok(3)}: a key from an existing file's inode and device and the low 8 bits of {@code projectId}. */
    int ftok(@Encoding("UTF-8") CharSequence path, int projectId);

    int msgget(int key, int flags);

    /** {@code msgsnd(2)}: {@code message} is the address of a {@code struct msgbuf} (a long type, then the text). */
    int msgsnd(int id, long message, long textLength, int flags);

    /** {@code msgrcv(2)}: returns the text's length, or -1. */
    long msgrcv(int id, long message, long textRoom, long type, int flags);

    int msgctl(int id, int command, long msqidDs);

    int shmget(int key, long size, int flags);

    /** {@code shmat(2)}: returns the attached address, or -1 ({@code (void *) -1}). */
    long shmat(int id, long address, int flags);

    int shmdt(long address);

    int shmctl(int id, int command, long shmidDs);

    int semget(int key, int count, int flags);

    /** {@code semtimedop(2)}: {@code timeout} is a relative {@code struct timespec}, or 0 to wait without limit. */
    int semtimedop(int id, long operations, long count, long timeout);

    /**
     * {@code semctl(2)}, a variadic function: {@code argument} is the {@code union semun} (an {@code int} value or a
     * pointer), passed in one register as the ABI passes the union.
     */
    @Variadic(fixedCount = 3)
    int semctl(int id, int index, int command, long argument);
}
