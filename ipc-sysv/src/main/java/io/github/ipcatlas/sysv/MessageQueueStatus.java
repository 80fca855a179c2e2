package io.github.ipcatlas.sysv;

import java.time.Instant;

/**
 * A System V message queue's {@code struct msqid_ds} ({@code msgctl(IPC_STAT)}), as {@code ipcs -q -i ID} shows it.
 *
 * @param key            the key
 * @param permissions    owner, creator, mode
 * @param messages       messages in the queue ({@code msg_qnum})
 * @param bytes          bytes of text in the queue ({@code msg_cbytes})
 * @param maxBytes       the capacity in bytes ({@code msg_qbytes}); a send blocks while the text would exceed it
 * @param lastSendPid    the process that sent last, 0 if none
 * @param lastReceivePid the process that received last, 0 if none
 * @param lastSend       when the last send happened, null if never
 * @param lastReceive    when the last receive happened, null if never
 * @param lastChange     when the queue was created or last changed by {@code IPC_SET}
 */
public record MessageQueueStatus(SysvKey key, IpcPermissions permissions, long messages, long bytes, long maxBytes,
                                 int lastSendPid, int lastReceivePid, Instant lastSend, Instant lastReceive,
                                 Instant lastChange) {
}
